from django.urls import path

from processing import public_views as views

# The same pages for the board statement and for each school's statement.
SUFFIXES = [
    ("", views.statement_page, "statement"),
    ("privacyverklaring.pdf", views.statement_pdf_download, "statement_pdf"),
    ("versies/", views.statement_versions, "statement_versions"),
    ("verschil/", views.statement_changes, "statement_changes"),
    ("v<int:number>/", views.statement_page, "statement_version"),
    ("v<int:number>.pdf", views.statement_pdf_download, "statement_version_pdf"),
]

urlpatterns = [
    *(
        path(f"<slug:board>/{suffix}", view, name=f"board_{name}")
        for suffix, view, name in SUFFIXES
    ),
    *(
        path(f"<slug:board>/<slug:school>/{suffix}", view, name=f"school_{name}")
        for suffix, view, name in SUFFIXES
    ),
]
