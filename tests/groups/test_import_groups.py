import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from groups.models import CivicGroup, GroupStatusChange
from groups.services.imports import (
    ImportFileError,
    decode,
    import_groups,
    name_key,
)
from tests.factories import CivicGroupFactory, GroupMembershipFactory, municipality

pytestmark = pytest.mark.django_db

HEADER = "団体名,ふりがな,法人格,法人番号,市町村,郵便番号,電話番号,活動分野,登録日\n"
# Line 2 uses full-width digits and dashes that CP932 can encode. Line 3
# names an unknown municipality. Line 4 repeats line 2's name in half-width.
ROWS = (
    "やまぐち子ども食堂ＮＥＴ,やまぐちこどもしょくどうねっと,NPO法人,"
    "７０００‐０１‐２３４５６７,山口市,７５３ー００７１,０８３ｰ９２２−１１１１,"
    "2;13,2015-04-01\n"
    "宇部川の会,うべかわのかい,任意団体,,宇部村,755-0001,,,\n"
    "やまぐち子ども食堂NET,,NPO法人,,山口市,,,,\n"
    "萩の自治会,,自治会,,萩市,758-0001,0838-22-1111,1,\n"
)


def valid_corporate_number():
    # Find the check digit of the base 000012345678 for the test data.
    from groups.validators import corporate_number_check_digit

    base = "000012345678"
    return f"{corporate_number_check_digit(base)}{base}"


def sample_csv():
    number = valid_corporate_number()
    full_width = number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    dashed = f"{full_width[:4]}‐{full_width[4:6]}－{full_width[6:]}"
    return HEADER + ROWS.replace("７０００‐０１‐２３４５６７", dashed)


def run_command(path, *args):
    out, err = StringIO(), StringIO()
    call_command("import_groups", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_import_reads_each_encoding(encoding):
    data = sample_csv().encode(encoding)

    report = import_groups(data)

    assert report.encoding == ("cp932" if encoding == "cp932" else "utf-8")
    assert report.created == 2
    assert report.failed == 2
    assert CivicGroup.objects.count() == 2


def test_import_normalises_numbers():
    import_groups(sample_csv().encode())

    group = CivicGroup.objects.get(name="やまぐち子ども食堂NET")
    assert group.corporate_number == valid_corporate_number()
    assert group.postal_code == "753-0071"
    assert group.public_phone == "083-922-1111"
    assert group.municipality == municipality("35203")
    assert sorted(f.number for f in group.activity_fields.all()) == [2, 13]


@pytest.mark.parametrize(
    "dash", ["-", "‐", "‑", "‒", "–", "—", "―", "−", "ー", "ｰ", "－"]
)
def test_import_accepts_every_dash(dash):
    row = f"会K,,任意団体,,山口市,753{dash}0001,083{dash}922{dash}1111,,\n"

    report = import_groups((HEADER + row).encode())

    assert report.errors == []
    group = CivicGroup.objects.get(name="会K")
    assert group.postal_code == "753-0001"
    assert group.public_phone == "083-922-1111"


def test_imported_group_approved_with_history():
    import_groups(sample_csv().encode())

    group = CivicGroup.objects.get(name="やまぐち子ども食堂NET")
    assert group.review_status == CivicGroup.ReviewStatus.APPROVED
    assert group.registered_on == dt.date(2015, 4, 1)
    assert group.is_public
    change = GroupStatusChange.objects.get(group=group)
    assert change.status == CivicGroup.Status.ACTIVE
    assert change.effective_on == dt.date(2015, 4, 1)
    assert (
        CivicGroup.objects.registered_on(dt.date(2022, 3, 31))
        .filter(pk=group.pk)
        .exists()
    )


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2015/4/1", dt.date(2015, 4, 1)),
        ("２０１５年４月１日", dt.date(2015, 4, 1)),
        ("令和2年4月1日", dt.date(2020, 4, 1)),
        ("令和元年5月1日", dt.date(2019, 5, 1)),
        ("平成30年3月31日", dt.date(2018, 3, 31)),
        ("H30.3.31", dt.date(2018, 3, 31)),
        ("r2.4.1", dt.date(2020, 4, 1)),
    ],
)
def test_import_reads_date_forms(written, expected):
    row = f"会L,,任意団体,,山口市,,,,{written}\n"

    report = import_groups((HEADER + row).encode())

    assert report.errors == []
    assert CivicGroup.objects.get(name="会L").registered_on == expected


def test_import_without_date_registers_today():
    import_groups(sample_csv().encode())

    group = CivicGroup.objects.get(name="萩の自治会")
    assert group.registered_on is not None
    assert group.legal_form == CivicGroup.LegalForm.NEIGHBOURHOOD


def test_dry_run_reports_rows_and_saves_nothing():
    report = import_groups(sample_csv().encode("cp932"), dry_run=True)

    assert CivicGroup.objects.count() == 0
    assert GroupStatusChange.objects.count() == 0
    assert report.created == 2
    lines = {error.line: error for error in report.errors}
    assert set(lines) == {3, 4}
    assert "unknown municipality (宇部村)" in lines[3].reasons[0]
    assert "duplicate of line 2" in lines[4].reasons[0]


def test_rerun_never_duplicates():
    data = sample_csv().encode()
    import_groups(data)

    second = import_groups(data)

    assert CivicGroup.objects.count() == 2
    assert second.created == 0
    assert second.skipped == 2
    assert second.updated == 0


def test_width_variant_of_existing_group_matches():
    existing = CivicGroupFactory(
        name="ＡＢＣ 子ども会", municipality=municipality("35203")
    )
    data = (HEADER + "abc子ども会,,任意団体,,山口市,753-0001,,,\n").encode()

    report = import_groups(data)

    assert report.updated == 1
    assert report.created == 0
    existing.refresh_from_db()
    assert existing.postal_code == "753-0001"


def test_same_name_other_municipality_is_new():
    CivicGroupFactory(name="里山の会", municipality=municipality("35203"))
    data = (HEADER + "里山の会,,任意団体,,宇部市,,,,\n").encode()

    report = import_groups(data)

    assert report.created == 1


def test_match_by_corporate_number():
    number = valid_corporate_number()
    existing = CivicGroupFactory(name="旧名称の会", corporate_number=number)
    data = (HEADER + f"新名称の会,,NPO法人,{number},山口市,,,,\n").encode()

    report = import_groups(data)

    assert report.created == 0
    assert report.skipped == 1
    existing.refresh_from_db()
    assert existing.name == "旧名称の会"


def test_managed_group_keeps_staff_values():
    existing = CivicGroupFactory(name="里山の会", public_phone="083-111-2222")
    GroupMembershipFactory(group=existing)
    data = (HEADER + "里山の会,,任意団体,,山口市,753-0001,083-999-0000,,\n").encode()

    report = import_groups(data)

    existing.refresh_from_db()
    assert report.updated == 1
    assert existing.public_phone == "083-111-2222"
    assert existing.postal_code == "753-0001"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (",,任意団体,,山口市,,,,", "name: missing"),
        ("会A,,宗教法人,,山口市,,,,", "unknown legal form (宗教法人)"),
        ("会B,,NPO法人,1234567890123,山口市,,,,", "corporate_number"),
        ("会C,,任意団体,,山口市,75-001,,,", "postal_code"),
        ("会D,,任意団体,,山口市,,083-12,,", "public_phone"),
        ("会E,,任意団体,,山口市,,,99,", "activity_fields"),
        ("会F,,任意団体,,山口市,,,,2024-02-30", "registered_on"),
    ],
)
def test_bad_rows_give_reasons(row, reason):
    report = import_groups((HEADER + row + "\n").encode("cp932"))

    assert report.failed == 1
    assert report.errors[0].line == 2
    assert reason in " ".join(report.errors[0].reasons)
    assert CivicGroup.objects.count() == 0


def test_all_reasons_of_row_reported():
    row = "会G,,宗教法人,,架空市,12,,,\n"

    report = import_groups((HEADER + row).encode())

    reasons = " ".join(report.errors[0].reasons)
    assert "legal form" in reasons
    assert "municipality" in reasons
    assert "postal_code" in reasons


def test_quoted_multiline_cell_keeps_line_numbers():
    data = (
        "name,legal_form,municipality,description\n"
        '会H,voluntary,35203,"一行目\n二行目"\n'
        "会I,voluntary,下関,\n"
        "会J,unknown,35203,\n"
    ).encode()

    report = import_groups(data)

    assert report.created == 2
    assert [error.line for error in report.errors] == [5]


def test_missing_required_column_rejected():
    with pytest.raises(ImportFileError, match="municipality"):
        import_groups("団体名,法人格\n会,任意団体\n".encode())


def test_explicit_wrong_encoding_rejected():
    with pytest.raises(ImportFileError, match="not valid utf-8"):
        decode("団体名".encode("cp932"), "utf-8")


def test_name_key_ignores_width_and_spaces():
    assert name_key("ＡＢＣ　子ども会") == name_key("abc子ども会")
    assert name_key("ﾔﾏｸﾞﾁ") == name_key("ヤマグチ")


def test_command_dry_run_output(tmp_path):
    path = tmp_path / "groups.csv"
    path.write_bytes(sample_csv().encode("cp932"))

    out, err = run_command(path, "--dry-run")

    assert "2/4 rows" not in out
    assert "4/4 rows" in out
    assert "Dry run, nothing saved (cp932)" in out
    assert "created 2, updated 0, skipped 0, failed 2 (of 4 rows)" in out
    assert "Failed: line 3 (宇部川の会)" in err
    assert "Failed: line 4" in err
    assert CivicGroup.objects.count() == 0


def test_command_imports_and_reruns(tmp_path):
    path = tmp_path / "groups.csv"
    path.write_bytes(sample_csv().encode("utf-8-sig"))

    first, _err = run_command(path, "--encoding", "utf-8")
    second, _err = run_command(path)

    assert "created 2, updated 0, skipped 0, failed 2" in first
    assert "created 0, updated 0, skipped 2, failed 2" in second
    assert CivicGroup.objects.count() == 2


def test_command_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run_command(tmp_path / "missing.csv")


def test_command_wrong_encoding(tmp_path):
    path = tmp_path / "groups.csv"
    path.write_bytes(sample_csv().encode("cp932"))

    with pytest.raises(CommandError, match="not valid utf-8"):
        run_command(path, "--encoding", "utf-8")
