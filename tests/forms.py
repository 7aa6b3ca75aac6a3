"""Fill in a page's form the way a browser would submit it untouched."""

from typing import overload

from bs4 import BeautifulSoup, Tag


@overload
def attribute(tag: Tag, name: str) -> str | None: ...
@overload
def attribute(tag: Tag, name: str, default: str) -> str: ...
def attribute(tag: Tag, name: str, default: str | None = None) -> str | None:
    """A single-valued attribute (name, type, value) as text; bs4 types every attribute as
    possibly a list, which only class-like attributes are."""
    value = tag.get(name, default)
    assert value is None or isinstance(value, str)
    return value


def owned_fields(form: Tag, kinds: list[str]) -> list[Tag]:
    """The fields a browser posts with this form: those inside it, except the ones whose form
    attribute gives them to another (or no) form."""
    return [
        field
        for field in form.find_all(kinds)
        if attribute(field, "form") in (None, attribute(form, "id"))
    ]


def form_data(response, form_index: int = -1) -> dict[str, object]:
    """The values a browser would post for the page's form (the last one by default)."""
    form = BeautifulSoup(response.content, "html.parser").find_all("form")[form_index]
    data: dict[str, object] = {}
    for field in owned_fields(form, ["input", "select", "textarea"]):
        name = attribute(field, "name")
        if not name or attribute(field, "type") == "submit":
            continue
        if field.name == "select":
            chosen = [
                attribute(o, "value", "")
                for o in field.find_all("option")
                if o.has_attr("selected")
            ]
            if field.has_attr("multiple"):
                data[name] = chosen
            else:
                data[name] = chosen[0] if chosen else ""
        elif attribute(field, "type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                value = attribute(field, "value", "on")
                if attribute(field, "type") == "checkbox" and name in data:
                    existing = data[name]
                    data[name] = [*(existing if isinstance(existing, list) else [existing]), value]
                else:
                    data[name] = (
                        [value]
                        if attribute(field, "type") == "checkbox" and attribute(field, "value")
                        else value
                    )
        elif field.name == "textarea":
            data[name] = field.text.lstrip("\n")
        else:
            data[name] = attribute(field, "value", "")
    return data
