import io

import pytest
from openpyxl import load_workbook

from tests.browser.test_login_flow import log_in
from workspace.demo import DEMO_PASSWORD, load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_demo_fg_exports_both_demo_boards_in_all_three_formats(live_server, page):
    load_demo()
    log_in(page, live_server, "fg@example.nl", DEMO_PASSWORD)
    page.set_default_timeout(30_000)
    for board in ["cpow", "veluwse-onderwijsgroep"]:
        page.goto(f"{live_server.url}/b/{board}/export/")
        for button, magic in [("PDF", b"%PDF-"), ("Excel", b"PK"), ("CSV", b"PK")]:
            # The button queues the job (the test task backend makes it at once); the newest
            # export heads the list with its link.
            page.get_by_role("button", name=button, exact=True).click()
            page.get_by_text("Het bestand wordt gemaakt.").wait_for()
            with page.expect_download() as download:
                page.locator("table tbody tr").first.get_by_role("link", name="downloaden").click()
            with open(download.value.path(), "rb") as file:
                content = file.read()
            assert content.startswith(magic), (board, button)
            if button == "Excel":
                assert load_workbook(io.BytesIO(content))["Verwerkingen"].max_row > 5
        page.reload()
        assert page.locator("table tbody tr").count() == 3  # the three exports are listed
