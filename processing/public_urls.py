from django.urls import path, re_path

from processing import public_views as views

# The same pages for the board statement and for each school's statement.
SUFFIXES = [
    ("", views.statement_page, "statement"),
    ("privacyverklaring.pdf", views.statement_pdf_download, "statement_pdf"),
    ("versies/", views.statement_versions, "statement_versions"),
    ("verschil/", views.statement_changes, "statement_changes"),
    ("v<int:number>/", views.statement_page, "statement_version"),
    ("v<int:number>.pdf", views.statement_pdf_download, "statement_version_pdf"),
    # The pupils' and the English statement of the same version (statement_variants.py). Their
    # words are reserved: no school slug is "leerlingen" or "en" (models.validate_school_slug).
    ("leerlingen/", views.pupils_page, "statement_pupils"),
    ("leerlingen.pdf", views.pupils_pdf_download, "statement_pupils_pdf"),
    ("en/", views.english_page, "statement_en"),
    ("en.pdf", views.english_pdf_download, "statement_en_pdf"),
    ("v<int:number>/leerlingen/", views.pupils_page, "statement_version_pupils"),
    ("v<int:number>/leerlingen.pdf", views.pupils_pdf_download, "statement_version_pupils_pdf"),
    ("v<int:number>/en/", views.english_page, "statement_version_en"),
    ("v<int:number>/en.pdf", views.english_pdf_download, "statement_version_en_pdf"),
]

# /privacy/<board>/ lists the board's schools; the board's own statement, which was there before
# these pages, is one level down. Its numbered versions, PDFs and change pages keep their URLs.
BOARD_STATEMENT = "privacyverklaring/"

urlpatterns = [
    path("", views.directory, name="public_index"),
    # The board's logo and house colour, named by content. No statement URL looks like these
    # (a slug has no dot; its only files are privacyverklaring.pdf, leerlingen.pdf, en.pdf and
    # v<number>….pdf).
    re_path(r"^logo/(?P<name>[0-9a-f]{64}\.(?:png|jpg))$", views.logo, name="public_logo"),
    re_path(r"^kleur/(?P<colour>[0-9a-f]{6})\.css$", views.house_colour, name="public_colour"),
    path("<slug:board>/", views.board_page, name="public_board"),
    *(
        path(f"<slug:board>/{suffix or BOARD_STATEMENT}", view, name=f"board_{name}")
        for suffix, view, name in SUFFIXES
    ),
    *(
        path(f"<slug:board>/<slug:school>/{suffix}", view, name=f"school_{name}")
        for suffix, view, name in SUFFIXES
    ),
]
