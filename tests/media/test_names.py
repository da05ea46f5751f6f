import re

import pytest

from civic_portal.media.names import random_upload_name
from civic_portal.media.rules import rule_for
from volunteering.models import PostPhoto, ReportPhoto


@pytest.mark.parametrize(
    ("model", "folder"), [(PostPhoto, "posts"), (ReportPhoto, "reports")]
)
def test_photo_name_drops_uploaders_file_name(model, folder):
    name = model._meta.get_field("image").generate_filename(None, "山田花子_自宅.JPG")

    assert re.fullmatch(rf"{folder}/\d{{4}}/\d{{2}}/[0-9a-f]{{32}}\.jpg", name)
    assert rule_for(name) is not None


def test_two_uploads_of_one_file_get_different_names():
    assert random_upload_name("posts", "a.png") != random_upload_name("posts", "a.png")


@pytest.mark.parametrize("filename", ["photo", "photo.", "x.p h p", "x.verylongext"])
def test_odd_extension_becomes_bin(filename):
    assert random_upload_name("posts", filename, dated=False).endswith(".bin")
