"""Bad input to the training and evaluation commands gets a clear bilingual CommandError."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

LINES = [
    "Du khách đến Sa Pa ngắm ruộng bậc thang,du-lich",
    "Khách sạn ở Sa Pa kín phòng dịp lễ,du-lich",
    "Lượt khách du lịch tăng mạnh,du-lich",
    "Cửa khẩu Kim Thành thông quan nhiều xe hàng,bien-gioi",
    "Tuần tra song phương trên tuyến biên giới,bien-gioi",
    "Cột mốc biên giới được kiểm tra định kỳ,bien-gioi",
]


@pytest.fixture(autouse=True)
def _models(settings, tmp_path):
    settings.MONITORING_MODELS_DIR = str(tmp_path / "models")


def write(tmp_path, content, name="data.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(content.encode(encoding) if isinstance(content, str) else content)
    return str(path)


def train(*args):
    call_command("monitoring_train", *args, stdout=io.StringIO())


def evaluate(*args):
    call_command("monitoring_evaluate", *args, stdout=io.StringIO())


def test_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Không tìm thấy tệp / file not found"):
        train("--csv", str(tmp_path / "khong-co.csv"))
    with pytest.raises(CommandError, match="file not found"):
        evaluate("--csv", str(tmp_path / "khong-co.csv"))


@pytest.mark.parametrize("content", ["", "\n  \n", "text,label\n"])
def test_empty_file(tmp_path, content):
    with pytest.raises(CommandError, match=r"(Tệp rỗng / empty file|no labelled rows)"):
        train("--csv", write(tmp_path, content))


def test_missing_columns_are_named(tmp_path):
    path = write(tmp_path, "noi_dung,nhan\n" + "\n".join(LINES))
    with pytest.raises(
        CommandError, match=r"Thiếu cột / missing column.*text, label / topic"
    ) as error:
        train("--csv", path)
    assert "noi_dung" in str(error.value)  # the columns found are listed
    path = write(tmp_path, "text,topic\n" + "\n".join(LINES), name="b.csv")
    with pytest.raises(CommandError, match=r"missing column.*risk"):
        train("--csv", path, "--task", "risk")


def test_one_class_only(tmp_path):
    path = write(tmp_path, "text,label\n" + "\n".join(LINES[:3]))
    with pytest.raises(CommandError, match="at least two classes"):
        train("--csv", path)
    with pytest.raises(CommandError, match="at least two classes"):
        evaluate("--csv", path)


def test_unknown_labels_are_listed(tmp_path):
    path = write(tmp_path, "text,label\n" + "\n".join([*LINES, "Trận bóng đá,the-thao"]))
    with pytest.raises(CommandError, match="unknown labels for topic: 'the-thao'"):
        train("--csv", path)
    risky = write(tmp_path, "text,label\nTin giả,gia\nTin thật,none\n", name="r.csv")
    with pytest.raises(CommandError, match=r"'gia'.*allowed: none, negative, harmful, false"):
        evaluate("--csv", risky, "--task", "risk")


def test_a_label_with_a_single_example_cannot_be_held_out(tmp_path):
    path = write(tmp_path, "text,label\n" + "\n".join([*LINES, "Tăng trưởng GRDP,kinh-te"]))
    with pytest.raises(CommandError, match="at least 2 examples: kinh-te"):
        train("--csv", path)


def test_wrong_encoding(tmp_path):
    content = "text,label\n" + "\n".join(LINES)
    path = write(tmp_path, content, encoding="utf-16")
    with pytest.raises(CommandError, match="không phải UTF-8 / the file is not UTF-8"):
        train("--csv", path)
    latin = write(
        tmp_path, "text,label\nCaf\xe9 \xe0 Sa Pa,du-lich\n", name="l.csv", encoding="latin-1"
    )
    with pytest.raises(CommandError, match="not UTF-8"):
        evaluate("--csv", latin)


def test_unknown_model_version(tmp_path):
    path = write(tmp_path, "text,label\n" + "\n".join(LINES))
    with pytest.raises(CommandError, match="unknown model version: risk-2099-01-01-1"):
        evaluate("--csv", path, "--model", "risk-2099-01-01-1")
    with pytest.raises(CommandError, match=r"invalid version name '\.\./etc'"):
        evaluate("--csv", path, "--model", "../etc")


def test_existing_version_is_not_overwritten_and_task_must_match(tmp_path):
    path = write(tmp_path, "text,label\n" + "\n".join(LINES * 2))
    train("--csv", path, "--version", "t1")
    with pytest.raises(CommandError, match="version already exists: t1"):
        train("--csv", path, "--version", "t1")
    with pytest.raises(CommandError, match="invalid version name 'lexicon'"):
        train("--csv", path, "--version", "lexicon")
    risky = write(tmp_path, "text,label\nTin giả,false\nTin thật,none\n", name="r.csv")
    with pytest.raises(CommandError, match="t1 is a topic model, not risk"):
        evaluate("--csv", risky, "--task", "risk", "--model", "t1")


def test_semicolon_csv_with_a_bom_is_read(tmp_path):
    content = "\ufefftext;label\n" + "\n".join(line.replace(",", ";") for line in LINES * 2)
    out = io.StringIO()
    call_command("monitoring_train", "--csv", write(tmp_path, content), stdout=out)
    assert "du-lich: 6" in out.getvalue() and "bien-gioi: 6" in out.getvalue()


@pytest.mark.django_db
def test_no_labels_in_the_database():
    with pytest.raises(CommandError, match="no labelled items yet"):
        train("--task", "risk")


def test_bad_test_size(tmp_path):
    with pytest.raises(CommandError, match="between 0 and 1"):
        train("--csv", write(tmp_path, "text,label\n"), "--test-size", "1.5")
