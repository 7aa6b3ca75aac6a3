"""Fill in a page's form the way a browser would submit it untouched."""

from bs4 import BeautifulSoup


def form_data(response, form_index: int = -1) -> dict[str, object]:
    """The values a browser would post for the page's form (the last one by default)."""
    form = BeautifulSoup(response.content, "html.parser").find_all("form")[form_index]
    data: dict[str, object] = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.get("type") == "submit":
            continue
        if field.name == "select":
            chosen = [
                o.get("value", "") for o in field.find_all("option") if o.has_attr("selected")
            ]
            if field.has_attr("multiple"):
                data[name] = chosen
            else:
                data[name] = chosen[0] if chosen else ""
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                value = field.get("value", "on")
                if field.get("type") == "checkbox" and name in data:
                    existing = data[name]
                    data[name] = [*(existing if isinstance(existing, list) else [existing]), value]
                else:
                    data[name] = (
                        [value] if field.get("type") == "checkbox" and field.get("value") else value
                    )
        elif field.name == "textarea":
            data[name] = field.text.lstrip("\n")
        else:
            data[name] = field.get("value", "")
    return data
