"""Every page links the portal's icon, which is a static file."""

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["img/favicon.svg", "img/favicon-32.png"])
def test_base_layout_links_favicon(client, path):
    html = client.get("/").content.decode()

    assert f'rel="icon" href="{static(path)}"' in html
    assert finders.find(path), f"{path} is not among the static files"
