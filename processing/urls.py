from django.urls import path, re_path

from processing import (
    catalogue_views,
    export_views,
    import_views,
    statement_views,
    views,
    vocabulary_views,
)

urlpatterns = [
    path("register/", views.activity_list, name="activity_list"),
    path("register/nieuw/", views.activity_create, name="activity_create"),
    path("register/catalogus/", catalogue_views.catalogue_page, name="catalogue"),
    path("register/importeren/", import_views.import_page, name="register_import"),
    path(
        "register/importeren/sjabloon.xlsx",
        import_views.import_template,
        name="register_import_template",
    ),
    path(
        "register/importeren/<int:pk>/",
        import_views.import_detail,
        name="register_import_detail",
    ),
    path(
        "register/importeren/<int:pk>/doorvoeren/",
        import_views.import_commit,
        name="register_import_commit",
    ),
    path(
        "register/importeren/<int:pk>/opnieuw/",
        import_views.import_retry,
        name="register_import_retry",
    ),
    path(
        "register/<int:pk>/catalogus-gezien/",
        catalogue_views.catalogue_seen,
        name="catalogue_seen",
    ),
    path("register/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("register/<int:pk>/toegang/", views.activity_access, name="activity_access"),
    path("register/<int:pk>/adviezen/", views.activity_comments, name="activity_comments"),
    path("register/<int:pk>/bewerken/", views.activity_edit, name="activity_edit"),
    path(
        "register/<int:pk>/bewerken/<slug:part>/",
        views.activity_edit_part,
        name="activity_edit_part",
    ),
    path("register/<int:pk>/ter-review/", views.activity_submit, name="activity_submit"),
    path("register/<int:pk>/vaststellen/", views.activity_approve, name="activity_approve"),
    path("register/<int:pk>/verwijderen/", views.activity_delete, name="activity_delete"),
    path("register/<int:pk>/kopieren/", views.activity_copy, name="activity_copy"),
    path("register/<int:pk>/advies/", views.comment_add, name="comment_add"),
    path(
        "register/<int:pk>/advies/<int:comment>/afhandelen/",
        views.comment_resolve,
        name="comment_resolve",
    ),
    path("register/<int:pk>/geschiedenis/", views.activity_history, name="activity_history"),
    path(
        "register/<int:pk>/geschiedenis/<int:record>/terugzetten/",
        views.activity_restore,
        name="activity_restore",
    ),
    path("controle/", views.lint_page, name="lint"),
    path("export/", export_views.export_page, name="export"),
    path("export/<int:pk>/", export_views.export_file, name="export_file"),
    path("export/<int:pk>/opnieuw/", export_views.export_retry, name="export_retry"),
    re_path(
        r"^export/register\.(?P<format>pdf|xlsx|csv)$",
        export_views.export_download,
        name="export_download",
    ),
    path("verklaringen/", statement_views.statement_overview, name="statement_overview"),
    path("verklaringen/volgorde/", statement_views.statement_order, name="statement_order"),
    path(
        "verklaringen/bijwerken/",
        statement_views.publish_out_of_date,
        name="statement_publish_out_of_date",
    ),
    path(
        "verklaringen/bestuur/",
        statement_views.publish_board_statement,
        name="statement_publish_board",
    ),
    path(
        "verklaringen/school/<slug:school>/",
        statement_views.publish_school_statement,
        name="statement_publish_school",
    ),
    path("lijsten/<str:kind>/", vocabulary_views.term_list, name="term_list"),
    path("lijsten/<str:kind>/nieuw/", vocabulary_views.term_create, name="term_create"),
    path("lijsten/<str:kind>/<int:pk>/", vocabulary_views.term_edit, name="term_edit"),
    path(
        "lijsten/<str:kind>/<int:pk>/verwijderen/",
        vocabulary_views.term_delete,
        name="term_delete",
    ),
]
