"""The personal-data detection measured on its corpora (tests/corpora): it finds every item of personal data
spelled the ways people write it (recall) and leaves ordinary complaint text whole (precision), above the targets
`make bench` prints the figures against; and what the issue's probes left behind is gone."""
import pytest

from benchmarks.bench_detector import PRECISION_TARGET, RECALL_TARGET
from portal.cases.redaction import MARKER, PUBLIC, redact
from tests.corpora import corpus, precision, recall


def test_the_corpora_are_large_enough():
    assert len(corpus("personal_data.txt")) >= 300 and len(corpus("ordinary_text.txt")) >= 300


def test_recall_on_personal_data():
    measure = recall()
    assert measure.rate >= RECALL_TARGET, measure.misses


def test_precision_on_ordinary_text():
    measure = precision()
    assert measure.rate >= PRECISION_TARGET, measure.misses


@pytest.mark.parametrize("written, left", [
    ("Gọi không chín một hai ba bốn năm sáu bảy tám nhé.", "Gọi [đã che] nhé."),
    ("Số 0 9 1 2 3 4 5 6 7 8 hoặc 09.12.34.56.78.", "Số [đã che] hoặc [đã che]."),
    ("Thư gửi lan.pham at gmail dot com, lan.pham(at)yahoo.com hoặc lan @ gmail.com.",
     "Thư gửi [đã che] hoặc [đã che]."),
    ("Địa chỉ an.nguyen＠gmail．com nhé.", "Địa chỉ [đã che] nhé."),  # full width: no working address is left
    ("Bà Nguyễn Thị Lan cạnh nhà tôi cũng chờ; ông Khai biết rõ.", "Bà [đã che] cạnh nhà tôi cũng chờ; ông [đã che] "
                                                                    "biết rõ."),
    ("Xe 29A-123.45 đỗ ở căn hộ P1205, 15B/3 Hàng Bông.", "Xe [đã che] đỗ ở [đã che] Hàng Bông."),
    ("Hồ sơ 000.00.12.H26-251201-0001 chưa có kết quả.", "Hồ sơ [đã che] chưa có kết quả."),
])
def test_what_the_probes_found_is_removed(written, left):
    assert redact(written, scope=PUBLIC) == left and "@" not in redact(written, scope=PUBLIC).replace(MARKER, "")
