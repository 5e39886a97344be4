"""Demo data: `flask --app portal demo generate N` writes N lifelike complaints spread over the past year.

Why: search, similar complaints and the repeated-problem patterns only show what they are worth on a large data set
that looks like Hanoi's: mostly phản ánh about delays, a handful of officials and procedures that keep coming back
(spelled in several ways), wards far busier than others, re-submissions of the same complaint, agencies that answer
late or leave residents dissatisfied. Nothing here is real: names, phone numbers, dossier codes and decisions are
drawn at random; emails use example.com/.net/.org so that no demo case ever mails a real person.

How: everything is decided in Python first (deterministic for a given --seed), then written with SQLAlchemy Core
inserts in batches. Core inserts skip the ORM session hook that queues one search-index outbox row per complaint, so
afterwards the index is rebuilt in one go with `flask --app portal search reindex`. Each complaint gets its main
history events with a valid hash chain, so `flask audit verify` passes. The handling steps need staff users
(intake, an officer and a head per agency): disabled accounts `demo.*@demo.invalid` are created for them.
"""
import random
import re
import time
from bisect import bisect
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from types import SimpleNamespace

import click
from flask import Blueprint
from sqlalchemy import bindparam, insert, select, text, update

from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.cases.leadership import impartial_agency
from portal.cases.models import APPROVED, PENDING, REFUSED, ExtensionRequest, Rating
from portal.cases.ratings import RATING_WINDOW
from portal.complaints.codes import ALPHABET, LENGTH
from portal.complaints.models import Complaint, Filer
from portal.directory.models import Category, KindClock, ProblemType, Ward
from portal.directory.routing import route
from portal.domain.calendar import ClockUnit
from portal.domain.deadlines import work_calendar
from portal.domain.enums import Kind, Status
from portal.domain.text import fold, procedure_key
from portal.extensions import db
from portal.history import GENESIS, CaseEvent
from portal.patterns.officials import canonical_official
from portal.timeutil import HANOI, utcnow

demo_cli = Blueprint("demo", __name__, cli_group="demo")

BATCH = 2000
REPEAT_WINDOW = timedelta(days=60)  # a resident re-submits a complaint within two months

# ---------------------------------------------------------------------------------------------------------------
# Data tables
# ---------------------------------------------------------------------------------------------------------------

KIND_WEIGHTS = {"phan_anh": 70, "kien_nghi": 12, "khieu_nai": 10, "to_cao": 8}
PROBLEM_WEIGHTS = {"delay": 32, "harassment": 13, "bribe_request": 6, "wrong_procedure": 13, "attitude": 12,
                   "other": 24}
# (weight among complaints about a procedure or an office, weight among other problems) per category: land and
# civil status are paperwork; urban order and the environment are problems seen in the street.
CATEGORY_WEIGHTS = {
    "dat_dai": (16, 4), "xay_dung": (10, 8), "trat_tu_do_thi": (1, 14), "tu_phap_ho_tich": (10, 1),
    "moi_truong": (1, 12), "giao_thong": (2, 10), "dau_tu_kinh_doanh": (6, 2), "thue_tai_chinh": (4, 2),
    "y_te": (3, 3), "giao_duc": (3, 4), "lao_dong_viec_lam": (3, 3), "cong_thuong": (1, 2),
    "quy_hoach_kien_truc": (3, 2), "noi_vu_cong_vu": (2, 1), "van_hoa_the_thao_du_lich": (0.5, 2),
    "khoa_hoc_cong_nghe": (0.5, 2), "dan_toc_ton_giao": (0.3, 0.5), "khac": (1, 3),
}
OTHER_CATEGORY_WEIGHTS = (1, 1)  # categories an administrator added later

# Chance that a complaint names an official, by problem type (a tố cáo always does).
NAMES_OFFICIAL = {"delay": 0.2, "harassment": 0.6, "bribe_request": 0.85, "wrong_procedure": 0.35, "attitude": 0.6,
                  "other": 0.05}
ABOUT_PROCEDURE = {"delay": 1.0, "harassment": 0.95, "bribe_request": 0.95, "wrong_procedure": 1.0, "attitude": 0.6,
                   "other": 0.0}
ABOUT_OFFICE = {"delay", "harassment", "bribe_request", "wrong_procedure", "attitude"}
ANONYMOUS_SHARE = 0.25  # of phản ánh
BUSINESS_SHARE = 0.1  # of named filers (never for a tố cáo)
EMAIL_SHARE = 0.5
REPEAT_SHARE = 0.03
CAST_SIZE = 60
HOT_OFFICIALS = (6, 5, 4, 3, 3)  # weights of the most named officials (the others: 1)
FIRST_OFFICIAL = ("Nguyễn Văn Hùng", "m", "dat_dai", "Phường Láng")

# (procedure, category, weight): the administrative procedures residents write about most.
PROCEDURES = [
    ("cấp giấy chứng nhận quyền sử dụng đất lần đầu", "dat_dai", 14),
    ("đăng ký biến động đất đai", "dat_dai", 6), ("cấp đổi giấy chứng nhận quyền sử dụng đất", "dat_dai", 4),
    ("chuyển mục đích sử dụng đất", "dat_dai", 4), ("tách thửa, hợp thửa đất", "dat_dai", 4),
    ("đính chính giấy chứng nhận quyền sử dụng đất", "dat_dai", 2),
    ("cấp phép xây dựng nhà ở riêng lẻ", "xay_dung", 10), ("cấp phép sửa chữa, cải tạo nhà ở", "xay_dung", 3),
    ("thẩm định thiết kế xây dựng", "xay_dung", 2), ("cấp chứng chỉ hành nghề hoạt động xây dựng", "xay_dung", 1),
    ("cấp phép tạm sử dụng vỉa hè", "trat_tu_do_thi", 2),
    ("đăng ký thành lập doanh nghiệp", "dau_tu_kinh_doanh", 4),
    ("đăng ký kinh doanh hộ cá thể", "dau_tu_kinh_doanh", 5),
    ("cấp giấy chứng nhận đăng ký đầu tư", "dau_tu_kinh_doanh", 2),
    ("hoàn thuế giá trị gia tăng", "thue_tai_chinh", 3), ("quyết toán thuế thu nhập cá nhân", "thue_tai_chinh", 2),
    ("chứng thực bản sao từ bản chính", "tu_phap_ho_tich", 7), ("đăng ký khai sinh", "tu_phap_ho_tich", 6),
    ("đăng ký kết hôn", "tu_phap_ho_tich", 3), ("cấp phiếu lý lịch tư pháp", "tu_phap_ho_tich", 4),
    ("xác nhận tình trạng hôn nhân", "tu_phap_ho_tich", 3),
    ("cấp chứng chỉ hành nghề khám bệnh, chữa bệnh", "y_te", 2),
    ("cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", "y_te", 2),
    ("tuyển sinh vào lớp 1", "giao_duc", 3), ("chuyển trường cho học sinh", "giao_duc", 2),
    ("cấp phép đào đường, hè phố", "giao_thong", 2), ("cấp đổi giấy phép lái xe", "giao_thong", 3),
    ("xác nhận đăng ký kế hoạch bảo vệ môi trường", "moi_truong", 2),
    ("giải quyết hưởng trợ cấp thất nghiệp", "lao_dong_viec_lam", 3),
    ("cấp lại sổ bảo hiểm xã hội", "lao_dong_viec_lam", 2),
    ("cấp giấy phép bán lẻ rượu", "cong_thuong", 1),
    ("cấp giấy phép kinh doanh karaoke", "van_hoa_the_thao_du_lich", 1),
    ("cấp giấy phép lắp đặt trạm viễn thông", "khoa_hoc_cong_nghe", 1),
    ("đăng ký hoạt động tín ngưỡng", "dan_toc_ton_giao", 1),
    ("cung cấp thông tin quy hoạch", "quy_hoach_kien_truc", 3), ("cấp chứng chỉ quy hoạch", "quy_hoach_kien_truc", 1),
    ("xét tuyển viên chức", "noi_vu_cong_vu", 1), ("xác nhận thông tin cư trú", "khac", 2),
]

# Problems that are not about a procedure ("other"), per category.
ISSUES = {
    "dat_dai": ["lấn chiếm đất công làm bãi trông giữ xe", "san lấp ao hồ trái phép",
                "xây tường rào lấn ra ngõ đi chung",
                "tranh chấp ranh giới đất kéo dài chưa được hòa giải"],
    "xay_dung": ["công trình xây dựng sai phép, vượt số tầng", "công trình thi công làm nứt nhà liền kề",
                 "vật liệu xây dựng đổ tràn ra ngõ", "thi công gây ồn sau 22 giờ"],
    "trat_tu_do_thi": ["lấn chiếm vỉa hè để kinh doanh", "trông giữ xe trái phép dưới lòng đường",
                       "biển quảng cáo che khuất lối đi", "họp chợ tự phát gây ùn tắc"],
    "dau_tu_kinh_doanh": ["dự án chậm triển khai nhiều năm, đất bỏ hoang",
                          "cơ sở kinh doanh hoạt động không có giấy phép"],
    "thue_tai_chinh": ["thu phí trông giữ xe cao hơn quy định", "tổ dân phố thu các khoản đóng góp không rõ ràng"],
    "tu_phap_ho_tich": ["sai sót thông tin trên giấy khai sinh chưa được cải chính",
                        "dịch vụ 'cò' giấy tờ hoạt động trước cửa bộ phận một cửa"],
    "y_te": ["quá tải, phải chờ cả buổi tại trạm y tế", "cơ sở thẩm mỹ hoạt động không phép",
             "nhà thuốc bán thuốc kê đơn không có đơn"],
    "giao_duc": ["lạm thu đầu năm học", "dạy thêm, học thêm trái quy định", "thiếu chỗ học lớp 1 cho trẻ đúng tuyến"],
    "giao_thong": ["ổ gà, sụt lún mặt đường", "đèn tín hiệu giao thông hỏng nhiều ngày",
                   "đèn chiếu sáng công cộng không hoạt động", "xe chở vật liệu làm rơi vãi đất cát"],
    "moi_truong": ["rác thải tồn đọng nhiều ngày không được thu gom", "xưởng sản xuất xả khói bụi, mùi hôi",
                   "nước thải chảy tràn ra đường", "đốt rác, đốt rơm rạ gây ô nhiễm"],
    "lao_dong_viec_lam": ["doanh nghiệp nợ lương, nợ bảo hiểm xã hội của người lao động",
                          "chậm chi trả trợ cấp thất nghiệp"],
    "cong_thuong": ["bán hàng giả, hàng không rõ nguồn gốc", "cửa hàng xăng dầu bán thiếu"],
    "van_hoa_the_thao_du_lich": ["karaoke hoạt động quá giờ gây ồn", "di tích bị xuống cấp, lấn chiếm"],
    "khoa_hoc_cong_nghe": ["cột ăng-ten lắp đặt trái phép trên mái nhà dân",
                           "cáp viễn thông treo chằng chịt, võng thấp"],
    "dan_toc_ton_giao": ["tổ chức hoạt động mê tín dị đoan tại cơ sở thờ tự"],
    "quy_hoach_kien_truc": ["thông tin quy hoạch không được công khai", "quy hoạch treo nhiều năm ảnh hưởng đời sống"],
    "noi_vu_cong_vu": ["cán bộ vắng mặt trong giờ làm việc", "tuyển dụng công chức thiếu minh bạch"],
    "khac": ["chó thả rông không rọ mõm", "loa phát thanh công cộng bật quá sớm"],
}
GENERIC_ISSUES = ["vi phạm kéo dài chưa được xử lý", "thông tin giải quyết không được công khai"]

# Ward-level officials' jobs per category (the rest work at a city department).
LOCAL_JOBS = {
    "dat_dai": "cán bộ địa chính", "xay_dung": "cán bộ quản lý trật tự xây dựng",
    "trat_tu_do_thi": "cán bộ quản lý đô thị", "tu_phap_ho_tich": "công chức tư pháp - hộ tịch",
    "moi_truong": "cán bộ phụ trách môi trường",
}
DEPARTMENT_JOBS = ["chuyên viên", "chuyên viên Bộ phận một cửa", "phó trưởng phòng nghiệp vụ", "cán bộ thụ lý hồ sơ"]
LEADER_JOB = "Phó Chủ tịch UBND"  # a leading title: routed to the supervising body (see cases.leadership)

SURNAMES = {"Nguyễn": 38, "Trần": 11, "Lê": 9, "Phạm": 7, "Hoàng": 5, "Phan": 4, "Vũ": 4, "Đặng": 2, "Bùi": 2,
            "Đỗ": 2, "Hồ": 1, "Ngô": 1, "Dương": 1, "Lý": 1, "Đinh": 1, "Trịnh": 1, "Đào": 1, "Lương": 1}
MIDDLE = {"m": ["Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Thành", "Xuân", "Mạnh", "Ngọc"],
          "f": ["Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Minh", "Phương", "Hồng", "Thúy", "Kim"]}
HONORIFIC = {"m": "ông", "f": "bà"}
GIVEN = {"m": ["Hùng", "Dũng", "Tuấn", "Minh", "Hải", "Long", "Nam", "Sơn", "Thắng", "Cường", "Đức", "Hiếu",
               "Trung", "Quân", "Phong", "Bình", "Khánh", "Tùng", "Việt", "Hòa", "Kiên", "Huy", "Lâm", "Toàn",
               "Vinh", "Tiến", "Đạt", "Hoàng", "Thái", "Nghĩa"],
         "f": ["Hoa", "Lan", "Hương", "Mai", "Linh", "Trang", "Thảo", "Hà", "Ngọc", "Nga", "Huyền", "Yến", "Dung",
               "Phương", "Thủy", "Oanh", "Hạnh", "Loan", "Nhung", "Vân", "Anh", "Giang", "Hằng", "Hiền", "Quỳnh",
               "Liên", "Tâm", "Xuân"]}
STREETS = ["Láng Hạ", "Kim Mã", "Giảng Võ", "Nguyễn Chí Thanh", "Chùa Bộc", "Tây Sơn", "Xã Đàn", "Hoàng Cầu",
           "Thái Hà", "Cầu Giấy", "Trần Duy Hưng", "Nguyễn Trãi", "Trường Chinh", "Giải Phóng", "Minh Khai",
           "Bạch Mai", "Lò Đúc", "Hàng Bài", "Hàng Bông", "Phùng Hưng", "Đội Cấn", "Hoàng Hoa Thám", "Lạc Long Quân",
           "Âu Cơ", "Nguyễn Văn Cừ", "Ngọc Lâm", "Lê Trọng Tấn", "Phạm Văn Đồng", "Hồ Tùng Mậu", "Nguyễn Xiển",
           "Kim Giang", "Tam Trinh", "Lĩnh Nam", "Tân Mai", "Định Công", "Ngô Gia Tự", "Thụy Khuê", "Văn Cao",
           "Đê La Thành", "Khâm Thiên", "Tôn Đức Thắng", "Phố Huế", "Trần Khát Chân", "Đại La", "Lê Văn Lương",
           "Tố Hữu", "Quang Trung", "Nguyễn Khánh Toàn", "Xuân Thủy", "Hoàng Quốc Việt", "Trần Cung", "Mỹ Đình",
           "Nguyễn Hoàng", "Vũ Trọng Phụng", "Khương Đình", "Trương Định", "Tân Ấp", "Hàng Mã", "Ô Chợ Dừa"]
VILLAGES = ["Đông", "Đoài", "Thượng", "Hạ", "Trung", "Bắc", "Nam", "Tiền", "Hậu", "Phú Mỹ", "An Lạc", "Yên Nội",
            "Đồng Tâm", "Cao Xá", "Thạch Lỗi", "Kim Lũ"]
COMPANY_FORMS = ["Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV", "Hộ kinh doanh"]
COMPANY_TRADES = ["Thương mại Dịch vụ", "Xây dựng", "Đầu tư", "Vận tải", "Thực phẩm", "Công nghệ", "Nội thất",
                  "Du lịch", "Dược phẩm", "Môi trường"]
COMPANY_NAMES = ["Minh Phát", "Hưng Thịnh", "An Khang", "Thành Công", "Đại Việt", "Hoàng Long", "Phú Gia",
                 "Sao Mai", "Bình An", "Hà Thành", "Thăng Long", "Kinh Bắc", "Trường Sơn", "Hồng Hà", "Tân Tiến"]
MOBILE_PREFIXES = ["90", "91", "93", "94", "96", "97", "98", "86", "88", "32", "33", "34", "35", "36", "37", "38",
                   "39", "70", "76", "77", "78", "79", "81", "82", "83", "84", "85", "56", "58"]
EMAIL_DOMAINS = ["example.com", "example.com", "example.net", "example.org"]

AMOUNTS_SMALL = ["500 nghìn đồng", "1 triệu đồng", "2 triệu đồng", "3 triệu đồng"]
AMOUNTS_LARGE = ["5 triệu đồng", "10 triệu đồng", "15 triệu đồng", "20 triệu đồng", "30 triệu đồng", "50 triệu đồng"]
LARGE_STAKES = {"dat_dai", "xay_dung", "dau_tu_kinh_doanh", "quy_hoach_kien_truc", "thue_tai_chinh"}
ATTITUDES = ["quát nạt, nói trống không", "hách dịch, không trả lời câu hỏi của người dân",
             "cáu gắt, ném trả hồ sơ", "thờ ơ, vừa làm việc vừa dùng điện thoại riêng",
             "mỉa mai, coi thường người cao tuổi", "to tiếng, đuổi người dân ra khỏi phòng"]
DOCUMENTS = ["bản sao sổ hộ khẩu (đã bị bãi bỏ)", "giấy xác nhận thông tin cư trú", "bản sao công chứng căn cước",
             "giấy xác nhận của tổ dân phố", "biên bản họp gia đình", "chữ ký xác nhận của các hộ liền kề",
             "bản vẽ hiện trạng có xác nhận của đơn vị đo đạc", "bản gốc giấy tờ đã nộp từ trước"]
WAITING_FOR = ["hồ sơ đang chờ lãnh đạo ký", "hồ sơ đang được xác minh nguồn gốc", "hệ thống phần mềm bị lỗi",
               "hồ sơ đang chờ ý kiến của phòng chuyên môn", "hồ sơ đang chờ thẩm định", "cán bộ thụ lý đi vắng",
               "hồ sơ đã chuyển cấp trên xem xét"]
CONSEQUENCES = ["gia đình tôi không thể làm thủ tục vay vốn ngân hàng", "việc kinh doanh của tôi bị đình trệ",
                "tôi phải nghỉ làm nhiều buổi để đi lại", "gia đình tôi lỡ kế hoạch sửa nhà",
                "hợp đồng đã ký với đối tác có nguy cơ bị hủy", "con tôi chưa thể làm thủ tục nhập học"]
SOMEONE = ["cán bộ tiếp nhận", "cán bộ một cửa", "một cán bộ", "cán bộ thụ lý"]  # when no official is named
DOSSIER_MENTIONS = [", mã hồ sơ {}", " (mã hồ sơ {})", ", số biên nhận {}", ", mã số {}"]
TIMES = ["hai lần", "ba lần", "bốn lần", "năm lần", "nhiều lần"]
PRETEXTS = ["sai mẫu tờ khai", "thiếu chữ ký của hộ liền kề", "ảnh không đúng kích thước", "bản sao không rõ nét",
            "thiếu giấy tờ không có trong danh mục thủ tục"]
WRONG_ACTS = ["bị trả lại mà không có văn bản nêu rõ lý do", "bị thu phí cao hơn mức quy định",
              "bị chuyển qua nhiều bộ phận, không theo quy trình một cửa",
              "được nhận nhưng không được cấp giấy biên nhận hẹn trả kết quả",
              "bị yêu cầu nộp lại từ đầu dù chỉ thiếu một giấy tờ"]
ABSENCES = ["đi muộn, về sớm", "dùng điện thoại riêng trong giờ làm việc", "bỏ vị trí làm việc cả buổi"]
IMPACTS = ["ảnh hưởng nghiêm trọng đến sinh hoạt của các hộ dân xung quanh",
           "gây mất an toàn cho người đi đường, nhất là học sinh", "khiến người dân trong khu vực rất bức xúc",
           "ảnh hưởng đến sức khỏe của nhiều gia đình có người già, trẻ nhỏ"]
PROPOSALS = ["công khai tiến độ giải quyết từng hồ sơ trên Cổng dịch vụ công",
             "rút ngắn thời gian giải quyết thủ tục {procedure}",
             "cho phép nộp hồ sơ {procedure} trực tuyến toàn trình",
             "niêm yết đầy đủ thành phần hồ sơ, không yêu cầu giấy tờ ngoài quy định",
             "bố trí thêm cán bộ tiếp nhận vào giờ cao điểm",
             "gửi tin nhắn thông báo cho người dân khi hồ sơ bị chậm hoặc cần bổ sung",
             "có văn bản xin lỗi người dân khi trễ hẹn trả kết quả"]
VIOLATIONS = {"delay": "cố tình ngâm hồ sơ, không giải quyết đúng hạn",
              "harassment": "cố ý gây khó khăn, nhũng nhiễu người dân",
              "bribe_request": "nhận tiền của người dân để đẩy nhanh hồ sơ",
              "wrong_procedure": "làm sai lệch hồ sơ, giải quyết trái quy định",
              "attitude": "lạm dụng chức vụ, xúc phạm người dân",
              "other": "bao che cho vi phạm"}
DECISIONS = ["Quyết định số {n}/QĐ-UBND ngày {day} của Chủ tịch UBND {ward}",
             "Thông báo số {n}/TB-UBND ngày {day} về việc trả lại hồ sơ {procedure}",
             "việc {office} từ chối tiếp nhận hồ sơ {procedure}",
             "Quyết định xử phạt vi phạm hành chính số {n}/QĐ-XPHC ngày {day}"]

# Texts. "[a|b|c]" is replaced by one of the alternatives and "{name}" by a detail of the complaint, so that two
# complaints about the same thing are worded differently (as residents write them): near-duplicate detection must
# find the re-submissions, not every complaint about a delayed land certificate.
TITLES = {
    "delay": ["Hồ sơ {procedure} [quá hạn|trễ hẹn] [chưa có kết quả|chưa được giải quyết]",
              "[Chậm|Chậm trễ] giải quyết hồ sơ {procedure} tại {ward}",
              "Đề nghị giải quyết hồ sơ {procedure} {overdue}", "Hồ sơ số {dossier} [chậm trả kết quả|trễ hẹn]"],
    "harassment": ["[Bị gây khó khăn|Bị làm khó] khi làm thủ tục {procedure}",
                   "Yêu cầu bổ sung giấy tờ [ngoài quy định|không cần thiết] khi {procedure}",
                   "Cán bộ {office} [gây phiền hà|nhũng nhiễu] [người dân|người đi làm thủ tục]"],
    "bribe_request": ["Cán bộ [gợi ý|đòi] “bồi dưỡng” khi giải quyết hồ sơ {procedure}",
                      "Phản ánh việc [vòi tiền|vòi vĩnh] khi làm thủ tục {procedure}",
                      "Bị đòi {amount} để được {procedure} nhanh"],
    "wrong_procedure": ["Giải quyết hồ sơ {procedure} không đúng quy trình", "Trả hồ sơ {procedure} không nêu lý do",
                        "[Làm sai|Thực hiện sai] thủ tục {procedure} tại {ward}"],
    "attitude": ["Thái độ [thiếu tôn trọng|hách dịch] của cán bộ tại {office}",
                 "Cán bộ {office} [quát nạt|to tiếng với] người dân",
                 "Phản ánh tác phong làm việc của cán bộ {ward}"],
    "other": ["{Issue} tại {place}", "Đề nghị xử lý [tình trạng|việc] {issue} ở {ward}"],
}
KIND_TITLES = {
    "kien_nghi": ["Kiến nghị {proposal}", "Kiến nghị về thủ tục {procedure} tại {ward}"],
    "khieu_nai": ["Khiếu nại {decision_short}", "Khiếu nại việc giải quyết hồ sơ {procedure}"],
    "to_cao": ["Tố cáo {official} về việc {violation}", "Tố cáo cán bộ {office} {violation}"],
}
# Per problem type: (first sentences, further sentences of which a few are used, in this order).
PROBLEM_SENTENCES = {
    "delay": ([
        "[Ngày|Vào ngày|Hôm|Từ ngày] {filed_on}, [tôi|gia đình tôi|vợ chồng tôi] [nộp|đã nộp|có nộp|gửi] "
        "[hồ sơ|bộ hồ sơ|đầy đủ giấy tờ] [đề nghị|xin|làm thủ tục] {procedure} [tại|ở|qua] {office}{dossier_part}.",
        "[Tôi|Gia đình tôi|Bố mẹ tôi] [đã nộp|có nộp|nộp] [hồ sơ|giấy tờ] {procedure}{dossier_part} [từ ngày|hôm|"
        "vào ngày] {filed_on} [tại|qua] {office}[ và được cấp giấy biên nhận|, có phiếu hẹn trả kết quả|, "
        "cán bộ nhận đủ và hẹn trả đúng hạn|].",
        "[Cách đây|Đến nay đã] [hơn|gần|khoảng] {weeks} tuần, [cụ thể là|tức là|từ] ngày {filed_on}, [tôi|gia đình "
        "tôi] [hoàn thiện và nộp|nộp|đã nộp] hồ sơ {procedure} [tại|ở] {office}{dossier_part}.",
    ], [
        "[Theo giấy hẹn|Theo phiếu hẹn|Giấy biên nhận ghi|Cán bộ hẹn] [ngày|hạn|thời hạn] trả kết quả là {due_on}"
        "[, nhưng| nhưng|, vậy mà|, thế nhưng] [đến nay|tới hôm nay|hiện nay] [hồ sơ |]{overdue}[ vẫn chưa có kết quả|"
        " vẫn chưa được giải quyết|, không có thông báo gì| mà tôi không nhận được giải thích nào].",
        "Tôi đã {times} [đến|lên|tới|quay lại] [hỏi|hỏi tiến độ|liên hệ|hỏi kết quả] [thì|nhưng|và lần nào cũng] "
        "[chỉ được trả lời là|cán bộ chỉ nói|nhận được câu trả lời là|được giải thích là] {waiting_for}.",
        "[Tôi đã gọi|Tôi gọi|Tôi cũng đã gọi điện] [đến|vào|tới] số [đường dây nóng|điện thoại|hỗ trợ] [niêm yết tại|"
        "của|ghi trên giấy hẹn của] {office_short} {times} [nhưng không ai nghe máy|nhưng không được giải đáp|"
        "thì được hẹn gọi lại nhưng không thấy|và chỉ được bảo chờ thêm].",
        "[Tra cứu trên|Trên|Khi tôi tra trên] [Cổng dịch vụ công|hệ thống một cửa điện tử|ứng dụng iHanoi], hồ sơ "
        "[vẫn ở trạng thái|vẫn hiển thị|chỉ ghi] “[đang xử lý|đang thụ lý|chờ phê duyệt|chờ ký]” [suốt {weeks} tuần "
        "qua|từ nhiều tuần nay|mà không có cập nhật nào|kể từ ngày {due_on}].",
        "[Tôi không nhận được|Không có|Tôi chưa từng nhận] [văn bản|thông báo|tin nhắn|cuộc gọi] nào [giải thích lý "
        "do chậm|về việc gia hạn|yêu cầu bổ sung hồ sơ|xin lỗi vì trễ hẹn].",
        "[Những người nộp cùng đợt|Hàng xóm tôi nộp cùng thời điểm|Mấy hộ cùng ngõ] [đã có kết quả|đã được trả hồ sơ|"
        "đã nhận được giấy] [từ lâu|từ tháng trước|cách đây vài tuần] nên tôi [không hiểu vì sao|thắc mắc vì sao|"
        "rất bức xúc khi] hồ sơ của tôi [bị để lại|vẫn nằm chờ|bị bỏ quên].",
        "{relative}",
        "[Việc chậm trễ|Sự chậm trễ này|Việc trễ hẹn kéo dài] [khiến|làm cho|đã khiến] {consequence}.",
    ]),
    "harassment": ([
        "[Ngày|Hôm|Vào ngày] {filed_on}, khi [nộp|đến nộp|mang] hồ sơ {procedure} [tại|đến] {office}, tôi bị "
        "{someone} yêu cầu [bổ sung|nộp thêm|đi xin] {document}[ dù| mặc dù| trong khi] hồ sơ đã [đủ thành phần|"
        "đầy đủ|đúng mẫu] theo [quy định|danh mục đã niêm yết|hướng dẫn trên Cổng dịch vụ công].",
        "[Tôi|Gia đình tôi] [đến|lên|liên hệ] {office} [để làm|làm|xin] thủ tục {procedure} [từ ngày|hôm|kể từ] "
        "{filed_on} và [bị|liên tục bị|đã nhiều lần bị] {someone} [gây khó khăn|làm khó|hạch sách|gây phiền hà].",
    ], [
        "Mỗi lần [đến|lên|quay lại] [lại bị|cán bộ lại] yêu cầu [thêm|nộp thêm|bổ sung] một [loại giấy tờ|thứ giấy tờ|"
        "bản sao] khác, [tổng cộng|tính ra|đến nay đã] {times} [như vậy|đi lại|rồi].",
        "Cán bộ không [hướng dẫn|ghi|liệt kê] [một lần|đầy đủ|cụ thể] bằng văn bản[ mà chỉ nói miệng|, chỉ nói miệng|"
        "] [rồi hẹn lên hẹn xuống|, hôm sau lại nói khác|, mỗi người nói một kiểu].",
        "[Có lần|Lần gần nhất|Lần thứ hai] tôi [bị yêu cầu|bị bắt|được bảo] [về xin|đi xin|mang đến] {document} "
        "[trong khi|dù|mặc dù] giấy tờ này không có trong [thành phần hồ sơ|danh mục thủ tục|quy định].",
        "Khi tôi [hỏi căn cứ|đề nghị cho biết căn cứ|hỏi quy định nào yêu cầu như vậy], cán bộ [trả lời|nói|gạt đi] "
        "“[cứ về bổ sung đi|quy định nội bộ là thế|không có thì không nhận|muốn nhanh thì tự lo]”.",
        "[Tôi đã|Tôi phải] [xin nghỉ làm|bỏ việc|nhờ người trông con] {times} để [đi lại|đến bổ sung giấy tờ|"
        "chờ gặp cán bộ].",
        "{relative}",
        "[Việc đi lại nhiều lần|Cách làm việc này|Sự hạch sách đó] [khiến|làm|đã khiến] {consequence}.",
    ]),
    "bribe_request": ([
        "[Tôi|Gia đình tôi] [nộp|đã nộp|có nộp] hồ sơ {procedure} [tại|ở] {office} [từ ngày|hôm|vào ngày] {filed_on}"
        "{dossier_part}.",
        "[Ngày|Hôm|Sáng ngày] {filed_on}, tôi [đến|lên|quay lại] {office} [hỏi về|để hỏi|để nhận kết quả] hồ sơ "
        "{procedure}{dossier_part}.",
    ], [
        "[Khi tôi hỏi tiến độ|Khi tôi hỏi|Lúc tôi hỏi vì sao chậm], {someone} [gợi ý|nói bóng gió|nói thẳng|ra hiệu] "
        "[nếu muốn nhanh thì|muốn có kết quả sớm thì|muốn xong trong tuần thì] phải “[bồi dưỡng|chi phí|cảm ơn|"
        "lo]” {amount}.",
        "[Người này|Cán bộ này|Cán bộ đó] [hẹn|bảo tôi|gọi điện hẹn tôi] [gặp ở|ra] [quán cà phê|quán nước] "
        "[gần trụ sở|đối diện {office_short}|đầu ngõ] để “[trao đổi|nói chuyện|bàn] cho [tiện|dễ|nhanh]”.",
        "Tôi không [đồng ý|đưa tiền|chấp nhận] thì [hồ sơ bị trả lại|cán bộ trả hồ sơ|bị trả hồ sơ] với lý do "
        "{pretext}.",
        "[Một số người|Nhiều người|Mấy người quen] [nộp cùng đợt|cùng làm thủ tục|ở cùng khu] [cho biết|kể lại|"
        "nói rằng] họ [đã phải|cũng phải] [đưa|chi|gửi] [tiền|phong bì] mới [được giải quyết|có kết quả|"
        "lấy được giấy].",
        "Tôi [có|còn giữ|đã lưu] [ghi âm|tin nhắn Zalo|tin nhắn điện thoại] [cuộc trao đổi|nội dung trao đổi|lời "
        "gợi ý đó] và [sẵn sàng|có thể|đồng ý] cung cấp [khi cơ quan chức năng yêu cầu|để xác minh|cho đoàn kiểm tra].",
        "[Số tiền|Khoản] {amount} [là quá lớn|vượt quá khả năng|là gần hai tháng lương] của [gia đình tôi|tôi|"
        "vợ chồng tôi].",
    ]),
    "wrong_procedure": ([
        "[Ngày|Vào ngày|Hôm] {filed_on}, tôi [nộp|đã nộp|gửi] hồ sơ {procedure} [tại|ở|qua] {office}{dossier_part}.",
        "[Tôi|Gia đình tôi|Công ty tôi] [làm|đang làm|đăng ký] thủ tục {procedure} [tại|ở] {office} [từ ngày|hôm|"
        "kể từ] {filed_on}{dossier_part}.",
    ], [
        "Hồ sơ [của tôi|này|của gia đình tôi] {wrong_act}[, trái với|, không đúng với|, khác với] [quy trình|thủ tục|"
        "hướng dẫn] đã được [công bố|niêm yết|công khai].",
        "Tôi đã {times} [đề nghị|yêu cầu|xin] được [giải thích|trả lời bằng văn bản|biết lý do] nhưng [không nhận "
        "được trả lời|chỉ được trả lời miệng|bị từ chối].",
        "[Theo|Căn cứ|Đối chiếu với] [thủ tục hành chính đã công bố|bộ thủ tục hành chính của thành phố|hướng dẫn "
        "trên Cổng dịch vụ công], [thời hạn|thời gian] giải quyết [chỉ là|là|không quá] {legal_days} ngày làm việc "
        "và không [yêu cầu|cần|có] {document}.",
        "[Biên lai|Phiếu thu|Giấy nộp tiền] [ghi|chỉ ghi|có số] {fee}, [khác với|không khớp với|thấp hơn] số tiền "
        "[tôi đã nộp|cán bộ đã thu|tôi phải đóng].",
        "[Hồ sơ|Giấy tờ của tôi] [bị chuyển|được chuyển|đi] [qua|tới] [ba|bốn|nhiều] [bộ phận|phòng|cán bộ] mà "
        "[không ai|chẳng ai] [chịu trách nhiệm|trả lời dứt khoát|ký nhận].",
        "{relative}",
        "[Việc làm sai quy trình|Việc giải quyết không đúng quy trình|Sai sót này] [khiến|làm|đã khiến] "
        "{consequence}.",
    ]),
    "attitude": ([
        "[Sáng|Chiều] ngày {filed_on}, [tại|ở] {office}, {someone} [có thái độ|tỏ thái độ|cư xử] {attitude} khi tôi "
        "[hỏi về|hỏi|cần hướng dẫn về] {matter}.",
        "[Hôm|Ngày] {filed_on} tôi [đến|có mặt tại|xếp hàng ở] {office} [từ|lúc] {hour} [để hỏi về|để làm|để nộp "
        "giấy tờ] {matter} và [bị|đã bị] {someone} [đối xử|tiếp|trả lời] [thiếu tôn trọng|rất thiếu văn hóa|"
        "cộc lốc].",
    ], [
        "[Nhiều người dân|Mọi người|Hàng chục người] phải chờ [từ sớm|rất lâu|cả buổi|hơn hai tiếng] trong khi "
        "cán bộ {absence}.",
        "[Cán bộ|Người này] [có thái độ|tỏ ra|còn] {other_attitude}[, không cho tôi trình bày|, bảo tôi “không biết "
        "thì về hỏi lại”|, quay đi chỗ khác|].",
        "[Tôi là người cao tuổi|Tôi đi cùng con nhỏ|Tôi phải xin nghỉ làm để đến|Tôi là người khuyết tật] nên "
        "[rất bức xúc|cảm thấy bị xúc phạm|rất buồn] [trước thái độ này|vì cách cư xử đó|khi bị đối xử như vậy].",
        "[Những người|Nhiều người|Mấy người] [có mặt|đang chờ|ngồi cạnh] [hôm đó|lúc đó] [đều chứng kiến|cũng bức "
        "xúc|đã quay video] [sự việc|vì cách làm việc này|cảnh đó].",
        "[Tôi đã|Tôi có] [xin|hỏi] [tên|số hiệu|chức vụ] của cán bộ nhưng [không được trả lời|bị gạt đi|bị quát].",
        "[Cách ứng xử|Cách làm việc|Thái độ] như vậy [không đúng|vi phạm|trái với] quy tắc ứng xử của cán bộ, công "
        "chức[ tại nơi làm việc| nơi công sở|].",
    ]),
    "other": ([
        "[Tại|Ở|Khu vực] {place}, tình trạng {issue} [kéo dài|diễn ra|lặp lại] [nhiều tuần nay|từ đầu tháng|suốt "
        "{weeks} tuần|từ ngày {seen_on}] [nhưng chưa được xử lý|mà chưa được giải quyết|mà không ai xử lý].",
        "[Tôi|Chúng tôi|Người dân|Các hộ dân] [sống|sinh sống|ở] [tại|gần] {place} [xin|muốn|bức xúc] phản ánh "
        "[tình trạng|việc] {issue}[ kéo dài| nhiều ngày nay|].",
    ], [
        "[Việc này|Tình trạng này|Vi phạm này] {impact}.",
        "[Người dân|Bà con|Chúng tôi] đã {times} [báo với|phản ánh với|gọi cho] {grassroots} và {office_short} nhưng "
        "[chưa có chuyển biến|vẫn chưa được xử lý dứt điểm|chỉ được hứa sẽ kiểm tra|xử lý xong lại tái diễn].",
        "[Vào|Đặc biệt vào|Nhất là] [buổi tối|giờ cao điểm|cuối tuần|sáng sớm], [tình trạng này|vi phạm|việc này] "
        "[càng nghiêm trọng hơn|diễn ra công khai|kéo dài hàng giờ].",
        "[Đã có|Có|Tuần trước có] [người|một cụ già|một cháu nhỏ|một người đi xe máy] [bị ngã|gặp tai nạn|phải đi "
        "viện] [vì|do] [tình trạng này|vi phạm này] [vào|hôm] {seen_on}.",
        "[Tôi|Chúng tôi] [gửi kèm|có|đã chụp] [ảnh|video|hình ảnh] [hiện trường|ghi lại sự việc] [ngày|hôm|tối] "
        "{seen_on}.",
        "[Lực lượng chức năng|Đội trật tự|Cán bộ phường] [có|đã] [đến|xuống] [kiểm tra|lập biên bản] [một lần|hai "
        "lần] nhưng [sau đó mọi việc lại như cũ|vi phạm vẫn tiếp diễn|không thấy xử lý tiếp].",
    ]),
}
RELATIVES = ["[Bố|Mẹ|Ông|Bà] tôi [năm nay|đã] {age} tuổi, [sức khỏe yếu|đi lại khó khăn|đang ốm], [rất mong|mong|"
             "chỉ mong] sớm [hoàn tất thủ tục|có kết quả|xong giấy tờ].",
             "[Vợ|Chồng] tôi [đang điều trị ở bệnh viện|đi làm xa|đi công tác] nên [mọi việc|việc đi lại|giấy tờ] "
             "[đều do|chỉ có|một mình] tôi [lo|đảm nhận|chạy].",
             "Tôi [làm|đi làm] [công nhân|theo ca|giờ hành chính|tự do], [mỗi lần|lần nào] đến [hỏi|nộp] [là|đều] "
             "phải [xin nghỉ|nghỉ không lương|mất một ngày công]."]
REQUESTS = {
    "phan_anh": ["[Đề nghị|Kính đề nghị|Tôi đề nghị] [cơ quan chức năng|{agency}|lãnh đạo {agency}] [kiểm tra, xử lý|"
                 "xem xét, giải quyết|vào cuộc xử lý] và [trả lời|thông báo kết quả|phản hồi] [cho người dân|cho tôi|"
                 "công khai].",
                 "[Kính mong|Rất mong|Mong] [lãnh đạo|các cơ quan có thẩm quyền|{agency}] [sớm|quan tâm] "
                 "[chỉ đạo giải quyết dứt điểm|xem xét, xử lý|kiểm tra và xử lý nghiêm]."],
    "kien_nghi": ["Tôi kiến nghị {proposal}[ để người dân không phải đi lại nhiều lần| để hạn chế tình trạng này|"
                  " cho thuận tiện|].",
                  "[Kính|Xin|Tôi xin] kiến nghị [cơ quan có thẩm quyền|{agency}|thành phố] {proposal}."],
    "khieu_nai": ["Tôi khiếu nại {decision} vì [không đúng quy định|trái pháp luật|không có căn cứ], "
                  "[gây thiệt hại cho|ảnh hưởng đến quyền lợi của] [gia đình tôi|tôi|công ty tôi]. [Đề nghị|Kính đề "
                  "nghị] [xem xét lại|giải quyết lại|thụ lý và giải quyết], [hủy bỏ|sửa đổi|thu hồi] [quyết định|văn "
                  "bản] [trái pháp luật|nêu trên] và [hướng dẫn tôi hoàn thiện hồ sơ|giải quyết hồ sơ theo đúng quy "
                  "định|bồi thường thiệt hại nếu có]."],
    "to_cao": ["Tôi tố cáo {official} về [hành vi|việc] {violation}. [Đề nghị|Kính đề nghị] cơ quan có thẩm quyền "
               "[xác minh, xử lý nghiêm|làm rõ và xử lý|kiểm tra, xử lý] theo quy định và giữ bí mật [thông tin|danh "
               "tính] người tố cáo."],
}
WARD_OFFICES = ["Trung tâm Phục vụ hành chính công {ward}", "Bộ phận một cửa UBND {ward}", "trụ sở UBND {ward}",
                "quầy số {n} Trung tâm Phục vụ hành chính công {ward}", "bộ phận tiếp nhận hồ sơ UBND {ward}"]
DEPARTMENT_OFFICES = ["Bộ phận một cửa {agency}", "bộ phận tiếp nhận và trả kết quả của {agency}", "trụ sở {agency}",
                      "quầy số {n} tại {agency}", "phòng tiếp công dân của {agency}"]
GREETING = "[Kính gửi|Kính gửi:|Gửi] {agency}."
CLOSINGS = ["Xin trân trọng cảm ơn.", "Rất mong nhận được phản hồi sớm.", "Tôi xin chịu trách nhiệm về nội dung "
            "phản ánh.", "Xin cảm ơn!"]
INTRODUCTION = "Tôi [là|tên là] {filer_name}, [trú tại|ở|địa chỉ] {filer_address}."
IDENTITY = "Tôi là {filer_name}, trú tại {filer_address}, số điện thoại {filer_phone}."
REPEAT_OPENINGS = ["Tôi đã gửi phản ánh này trước đây nhưng chưa nhận được trả lời.", "Gửi lại lần 2.",
                   "Tiếp tục phản ánh nội dung đã gửi.", "Đề nghị sớm trả lời nội dung dưới đây."]
REPEAT_TITLE_PREFIXES = ["Tiếp tục phản ánh: ", "Lần 2: ", "Nhắc lại: ", "Đề nghị trả lời: "]
REWORDINGS = [("Đề nghị", "Kính đề nghị"), ("nhiều lần", "rất nhiều lần"), ("hồ sơ", "bộ hồ sơ"),
              ("nhưng", "mà"), ("cán bộ", "công chức")]

ANSWERS = ["Ngày {day}, {agency} đã kiểm tra, xác minh nội dung phản ánh. Hồ sơ của ông/bà đã được giải quyết và "
           "trả kết quả.", "{agency} đã yêu cầu cán bộ liên quan kiểm điểm, rút kinh nghiệm và xin lỗi người dân.",
           "{agency} đã lập biên bản, xử lý vi phạm và sẽ tiếp tục kiểm tra, giám sát.",
           "Qua kiểm tra, nội dung phản ánh chưa có cơ sở. Đề nghị ông/bà liên hệ trực tiếp {agency} để được "
           "hướng dẫn."]
REJECTIONS = {"not_enough_information": 35, "not_competent": 20, "already_resolved": 15, "court": 5, "abusive": 5,
              "other": 5}
REJECTION_NOTE = "Nội dung không thuộc phạm vi tiếp nhận của Cổng; đề nghị liên hệ Tòa án nhân dân khu vực."
EXTENSION_REASONS = ["Cần xác minh thực địa và lấy ý kiến các hộ liền kề.",
                     "Vụ việc phức tạp, cần phối hợp với sở chuyên ngành.", "Cần trưng cầu giám định, đo đạc lại.",
                     "Chờ kết quả xác minh từ cơ quan thuế."]
RATING_COMMENTS = {True: ["", "", "", "Cảm ơn cán bộ đã xử lý nhanh.", "Giải quyết thỏa đáng."],
                   False: ["Trả lời chung chung, không có bằng chứng đã xử lý.", "Hồ sơ vẫn chưa được giải quyết.",
                           "Cán bộ vi phạm không bị xử lý.", ""]}
ASPECT_BIAS = {"access": 0.3, "procedure": -0.2, "conduct": 0.0, "result": -0.15, "handling": -0.1}
HOUR_WEIGHTS = [1, 0.5, 0.3, 0.3, 0.4, 1, 3, 6, 9, 10, 10, 8, 5, 6, 8, 9, 8, 7, 6, 6, 7, 6, 4, 2]

# Life of a case (probabilities; the agency's own lateness and quality shift some of them).
REJECT_SHARE = 0.06
LATE_ACCEPT_SHARE = 0.07
STUCK_SHARE = 0.01  # never answered
EXTENSION_SHARE = {"phan_anh": 0.06, "kien_nghi": 0.08, "khieu_nai": 0.12, "to_cao": 0.2}
COMPLEX_SHARE = 0.2  # of khiếu nại
RATED_SHARE = 0.5
LATE_SHARE = (0.03, 0.25)  # each agency answers this share of its cases late (drawn per agency)
MEAN_SCORE, SATISFACTION_SPREAD, LATE_PENALTY = 3.9, 0.6, 0.8  # ratings: mean, spread between agencies, if late
CORRECTED_ROUTING_SHARE = 0.05


# ---------------------------------------------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------------------------------------------

@demo_cli.cli.command("generate")
@click.argument("n", type=click.IntRange(min=1))
@click.option("--seed", default=2026, show_default=True, help="Same seed, same data (relative to today).")
@click.option("--days", default=365, show_default=True, type=click.IntRange(min=1),
              help="Spread the complaints over this many past days.")
def generate(n, seed, days):
    """Write N realistic demo complaints (filers, history, extensions, ratings) over the past DAYS days."""
    started = time.perf_counter()
    generator = Generator(seed, days)
    click.echo(f"Generating {n:,} complaints over {days} days (seed {seed})...")
    done = 0
    for batch in generator.batches(n):
        generator.writer.write(batch)
        done += len(batch)
        elapsed = time.perf_counter() - started
        if done == n or done % (BATCH * 5) == 0 or n <= BATCH * 5:
            click.echo(f"  {done:>9,} / {n:,}  ({done / elapsed:,.0f} complaints/s)")
    elapsed = time.perf_counter() - started
    stats = generator.writer.counts
    click.echo(f"Done: {n:,} complaints in {elapsed:.1f} s ({n / elapsed:,.0f}/s); {stats['events']:,} events, "
               f"{stats['filers']:,} filers, {stats['ratings']:,} ratings, {stats['extensions']:,} extension requests.")
    click.echo("The search index does not know them yet: run `flask --app portal search reindex`.")


# ---------------------------------------------------------------------------------------------------------------
# The directory, routing and deadlines, read once and cached
# ---------------------------------------------------------------------------------------------------------------

class Directory:
    """Categories, problem types, wards and agencies as loaded, with routing cached per combination."""

    def __init__(self):
        self.categories = db.session.scalars(select(Category).where(Category.active).order_by(Category.id)).all()
        self.problem_types = db.session.scalars(select(ProblemType).where(ProblemType.active)
                                                .order_by(ProblemType.id)).all()
        self.wards = db.session.scalars(select(Ward).order_by(Ward.id)).all()
        if not (self.categories and self.problem_types and self.wards):
            raise click.ClickException("the directory is empty: run `flask --app portal directory load` first")
        self.problem_by_code = {p.code: p for p in self.problem_types}
        self._routes, self._impartial = {}, {}

    def route(self, category, problem_type, ward):
        """(agency, rule id) for the combination; route() runs once per combination."""
        key = (category.id, problem_type.id, ward.id if ward else None)
        if key not in self._routes:
            agency, rule = route(category, problem_type, ward)
            self._routes[key] = (agency, rule.id)
        return self._routes[key]

    def impartial(self, agency, official_name, official_position, concerned_agency_id):
        """The agency with no conflict of interest for the named official (cached per official and agency)."""
        key = (agency.id, official_name, official_position, concerned_agency_id)
        if key not in self._impartial:
            stand_in = SimpleNamespace(official_name=official_name, official_position=official_position,
                                       concerned_agency_id=concerned_agency_id)
            self._impartial[key] = impartial_agency(stand_in, agency)
        return self._impartial[key]

    def service_agency(self, category, ward):
        """Where residents do the paperwork of a category: the ward committee or the department."""
        return self.route(category, self.problem_by_code.get("delay", self.problem_types[0]), ward)[0]


class Deadlines:
    """The kinds' legal clocks on the working calendar. Day-based limits depend only on the local date, so they
    are cached per (date, limit); working-hour limits are computed each time."""

    def __init__(self):
        self.calendar = work_calendar()
        self.clocks = {c.kind: c for c in db.session.scalars(select(KindClock))}
        missing = {k.value for k in Kind} - set(self.clocks)
        if missing:
            raise click.ClickException(f"no legal clock for {', '.join(sorted(missing))}: run `directory load`")
        self._cache = {}

    def _due(self, start, amount, unit):
        if ClockUnit(unit) is ClockUnit.WORKING_HOURS:
            return self.calendar.deadline(start, amount, unit)
        key = (start.astimezone(HANOI).date(), amount, unit)
        if key not in self._cache:
            self._cache[key] = self.calendar.deadline(start, amount, unit)
        return self._cache[key]

    def accept(self, kind, start):
        clock = self.clocks[kind]
        return self._due(start, clock.accept_amount, clock.accept_unit)

    def resolve(self, kind, start, complex_case=False):
        clock = self.clocks[kind]
        if complex_case and clock.resolve_complex_amount:
            return self._due(start, clock.resolve_complex_amount, clock.resolve_complex_unit)
        return self._due(start, clock.resolve_amount, clock.resolve_unit)

    def extend(self, kind, due):
        clock = self.clocks[kind]
        return self._due(due, clock.extension_amount, clock.extension_unit)

    def max_extensions(self, kind):
        return self.clocks[kind].max_extensions


# ---------------------------------------------------------------------------------------------------------------
# People: the recurring officials and the residents who file
# ---------------------------------------------------------------------------------------------------------------

@dataclass
class Official:
    name: str
    position: str
    honorific: str  # ông or bà
    category: object
    ward: object  # the ward the official works in (None: a city department)
    unit: object  # the official's own agency
    variants: list = field(default_factory=list)  # other spellings residents use

    def spelled(self, rng):
        return rng.choice(self.variants) if self.variants and rng.random() < 0.3 else self.name


def person_name(rng, gender=None):
    gender = gender or rng.choice("mf")
    surname = rng.choices(list(SURNAMES), weights=list(SURNAMES.values()))[0]
    return f"{surname} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}", gender


def spellings(name):
    """How residents type an official's name: without accents, in lower or upper case, given name first."""
    words = name.split()
    bare = " ".join(w.capitalize() for w in fold(name).split())
    return [bare, name.lower(), name.upper(), " ".join(words[-1:] + words[:-1]), fold(name)]


def lower_first(text):
    return text[:1].lower() + text[1:] if text else text


class Cast:
    """~60 officials who keep being named; the first few several times more often than the rest."""

    def __init__(self, rng, directory, ward_picker, category_picker):
        self.officials = [self._official(rng, directory, ward_picker, category_picker, rank)
                          for rank in range(CAST_SIZE)]
        weights = [HOT_OFFICIALS[rank] if rank < len(HOT_OFFICIALS) else 1 for rank in range(CAST_SIZE)]
        self.cumulative = list(accumulate(weights))

    @staticmethod
    def _official(rng, directory, ward_picker, category_picker, rank):
        local = [c for c in directory.categories if c.code in LOCAL_JOBS]
        category = rng.choice(local) if local and rng.random() < 0.7 else category_picker(rng)
        (name, gender), ward = person_name(rng), ward_picker(rng)
        if rank == 0:  # the usual suspect of the examples, when the directory has his ward
            category = next((c for c in directory.categories if c.code == FIRST_OFFICIAL[2]), category)
            ward = next((w for w in directory.wards if w.name_vi == FIRST_OFFICIAL[3]), ward)
            name, gender = FIRST_OFFICIAL[:2]
        unit = directory.service_agency(category, ward)
        if unit.ward_id is not None:  # a ward official
            job = LEADER_JOB if rank % 15 == 7 else LOCAL_JOBS.get(category.code, "cán bộ")
            position = f"{job} {lower_first(ward.name_vi)}" if job != LEADER_JOB else f"{job} {ward.name_vi}"
        else:
            ward, position = None, f"{rng.choice(DEPARTMENT_JOBS)} {unit.name_vi}"
        variants = spellings(name) if rank < len(HOT_OFFICIALS) + 3 else []
        return Official(name, position, HONORIFIC[gender], category, ward, unit, variants)

    def pick(self, rng):
        return self.officials[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


def phone_number(rng):
    return f"+84{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10 ** 7):07d}"


def email_for(rng, name):
    words = fold(name).split()
    local = rng.choice([f"{words[-1]}.{words[0]}", f"{words[-1]}{words[0]}", "".join(w[0] for w in words[:-1])
                        + words[-1]])
    return f"{local}{rng.randrange(1, 1000)}@{rng.choice(EMAIL_DOMAINS)}"


class Places:
    """Streets of each ward (villages for a commune) and addresses on them."""

    def __init__(self, rng, wards):
        self.streets = {w.id: (rng.sample(STREETS, 3) if w.kind == "ward" else rng.sample(VILLAGES, 3)) for w in wards}
        self.kinds = {w.id: w.kind for w in wards}

    def place(self, rng, ward):
        if ward is None:
            return f"phố {rng.choice(STREETS)}"
        street = rng.choice(self.streets[ward.id])
        where = f"phố {street}" if self.kinds[ward.id] == "ward" else f"thôn {street}"
        return f"{where}, {lower_first(ward.name_vi)}"

    def address(self, rng, ward):
        if ward is not None and self.kinds[ward.id] != "ward":
            return f"Xóm {rng.randrange(1, 12)}, thôn {rng.choice(self.streets[ward.id])}, {lower_first(ward.name_vi)}"
        street = rng.choice(self.streets[ward.id]) if ward else rng.choice(STREETS)
        house = rng.randrange(1, 200)
        form = rng.random()
        if form < 0.5:
            line = f"Số {house} ngõ {rng.randrange(2, 300)} phố {street}"
        elif form < 0.8:
            line = f"Số {house} phố {street}"
        else:
            flat, tower = f"{rng.randrange(1, 25)}{rng.randrange(1, 20):02d}", f"{rng.choice('ABCDE')}{house % 9 + 1}"
            line = f"Phòng {flat}, tòa {tower}, khu đô thị {street}"
        return f"{line}, {lower_first(ward.name_vi)}" if ward else f"{line}, Hà Nội"


def make_filer(rng, places, kind, ward):
    """A resident or a business, as the filing form stores them (None for an anonymous phản ánh)."""
    if kind == Kind.PHAN_ANH.value and rng.random() < ANONYMOUS_SHARE:
        return None
    name, _gender = person_name(rng)
    home = ward if rng.random() < 0.8 else None  # most residents complain about their own ward
    filer = {"filer_type": "individual", "full_name": name, "organisation": "", "tax_code": "",
             "phone": phone_number(rng), "email": "", "address": places.address(rng, home),
             "contact_preference": "phone"}
    if kind != Kind.TO_CAO.value and rng.random() < BUSINESS_SHARE:
        company = f"{rng.choice(COMPANY_FORMS)} {rng.choice(COMPANY_TRADES)} {rng.choice(COMPANY_NAMES)}"
        filer.update(filer_type="business", organisation=company, tax_code=f"01{rng.randrange(10 ** 8):08d}",
                     email=f"lienhe{rng.randrange(1, 1000)}@{rng.choice(EMAIL_DOMAINS)}")
    elif rng.random() < EMAIL_SHARE:
        filer["email"] = email_for(rng, name)
    if filer["email"] and rng.random() < 0.7:
        filer["contact_preference"] = "email"
    return filer


# ---------------------------------------------------------------------------------------------------------------
# What a complaint says
# ---------------------------------------------------------------------------------------------------------------

@dataclass(slots=True)
class Planned:
    """One complaint as decided before it is written."""

    index: int
    code: str
    created_at: datetime
    kind: str
    category: object
    problem_type: object
    ward: object
    official: str = ""
    position: str = ""
    honorific: str = ""
    concerned_agency_id: int | None = None
    procedure: str = ""
    dossier: str = ""
    title: str = ""
    description: str = ""
    redacted_description: str | None = None
    filer: dict | None = None
    original: object = None  # the complaint this one re-submits
    filer_from: object = None  # a re-submission keeps its filer
    life: object = None
    id: int | None = None
    filer_id: int | None = None


def fmt_day(moment):
    return moment.astimezone(HANOI).strftime("%d/%m/%Y")


def overdue_phrase(days):
    if days < 14:
        return f"đã quá hạn {days} ngày"
    if days < 35:
        return f"đã quá hạn {days // 7} tuần"
    return f"đã quá hạn hơn {days // 30} tháng"


def details(rng, plan, office, mention, places):
    """The values the templates are filled with. `office` is (where the paperwork is done, its agency's name)."""
    office_name, agency_name = office
    ward_name = lower_first(plan.ward.name_vi) if plan.ward else "Hà Nội"
    filed_on = plan.created_at - timedelta(days=rng.randrange(20, 120))
    due_on = filed_on + timedelta(days=rng.randrange(10, 20))
    issue = rng.choice(ISSUES.get(plan.category.code, GENERIC_ISSUES))
    values = {
        "procedure": plan.procedure or f"lĩnh vực {plan.category.name_vi.lower()}", "office": office_name,
        "office_short": agency_name, "agency": agency_name, "ward": ward_name, "filed_on": fmt_day(filed_on),
        "due_on": fmt_day(due_on), "overdue": overdue_phrase((plan.created_at - due_on).days),
        "seen_on": fmt_day(plan.created_at - timedelta(days=rng.randrange(1, 20))),
        "dossier": plan.dossier,
        "dossier_part": rng.choice(DOSSIER_MENTIONS).format(plan.dossier) if plan.dossier else "",
        "times": rng.choice(TIMES), "weeks": rng.randrange(2, 9), "age": rng.randrange(62, 91),
        "legal_days": rng.choice([3, 5, 7, 10, 15, 20]),
        "fee": f"{rng.randrange(1, 40) * 50_000:,} đồng".replace(",", "."),
        "hour": f"{rng.randrange(7, 11)} giờ{rng.choice(['', ' 15', ' 30', ' 45'])}",
        "waiting_for": rng.choice(WAITING_FOR), "consequence": rng.choice(CONSEQUENCES),
        "someone": mention or rng.choice(SOMEONE), "official": mention or "cán bộ thụ lý hồ sơ",
        "document": rng.choice(DOCUMENTS), "pretext": rng.choice(PRETEXTS),
        "amount": rng.choice(AMOUNTS_LARGE if plan.category.code in LARGE_STAKES else AMOUNTS_SMALL),
        "wrong_act": rng.choice(WRONG_ACTS),
        "attitude": rng.choice(ATTITUDES[:3]), "other_attitude": rng.choice(ATTITUDES[3:]),
        "absence": rng.choice(ABSENCES),
        "matter": f"thủ tục {plan.procedure}" if plan.procedure else "tiến độ giải quyết hồ sơ",
        "issue": issue, "Issue": issue[:1].upper() + issue[1:], "place": places.place(rng, plan.ward),
        "impact": rng.choice(IMPACTS), "violation": VIOLATIONS.get(plan.problem_type.code, "vi phạm quy định"),
        "grassroots": "trưởng thôn" if plan.ward is not None and plan.ward.kind != "ward" else "tổ dân phố",
    }
    values["relative"] = fill(rng, rng.choice(RELATIVES), values)
    values["proposal"] = rng.choice(PROPOSALS).format(**values)
    values["decision"] = rng.choice(DECISIONS).format(n=rng.randrange(10, 3000), day=values["filed_on"], **values)
    values["decision_short"] = values["decision"].split(" ngày ")[0]
    return values


ALTERNATIVES = re.compile(r"\[([^\[\]]*)\]")


def fill(rng, template, values):
    """Pick one of each "[a|b]" and fill in the "{details}"."""
    return ALTERNATIVES.sub(lambda match: rng.choice(match.group(1).split("|")), template).format_map(values)


def write_text(rng, plan, values, filer):
    """Title, description and (for a tố cáo) the description without the denouncer's identity."""
    code = plan.problem_type.code if plan.problem_type.code in TITLES else "other"
    kind_titles = KIND_TITLES.get(plan.kind)
    template = rng.choice(kind_titles) if kind_titles and rng.random() < 0.6 else rng.choice(TITLES[code])
    if "{dossier}" in template and not plan.dossier:
        template = TITLES[code][0]
    title = fill(rng, template, values)
    openings, further = PROBLEM_SENTENCES[code]
    chosen = sorted(rng.sample(range(len(further)), rng.randint(2, min(4, len(further)))))
    body = [fill(rng, rng.choice(openings), values), *(fill(rng, further[i], values) for i in chosen),
            fill(rng, rng.choice(REQUESTS[plan.kind]), values)]
    if rng.random() < 0.4:
        body.append(rng.choice(CLOSINGS))
    greeting = [fill(rng, GREETING, values)] if rng.random() < 0.35 else []
    if plan.kind == Kind.TO_CAO.value and filer:
        identity = IDENTITY.format(filer_name=filer["full_name"], filer_address=filer["address"],
                                   filer_phone=filer["phone"])
        return title[:1].upper() + title[1:200], " ".join([*greeting, identity, *body]), " ".join([*greeting, *body])
    if filer and rng.random() < 0.3:
        greeting.append(fill(rng, INTRODUCTION, {"filer_name": filer["full_name"], "filer_address": filer["address"]}))
    return title[:1].upper() + title[1:200], " ".join([*greeting, *body]), None


def reworded(rng, plan, original):
    """A re-submission: the same complaint, a new opening sentence and a word or two changed."""
    plan.kind, plan.category, plan.problem_type, plan.ward = (original.kind, original.category,
                                                              original.problem_type, original.ward)
    plan.official, plan.position, plan.concerned_agency_id = (original.official, original.position,
                                                              original.concerned_agency_id)
    plan.procedure, plan.dossier, plan.filer_from = original.procedure, original.dossier, original
    plan.title = (rng.choice(REPEAT_TITLE_PREFIXES) + original.title)[:200]
    opening, (before, after) = rng.choice(REPEAT_OPENINGS), rng.choice(REWORDINGS)
    plan.description = f"{opening} {original.description.replace(before, after, 1)}"
    if original.redacted_description is not None:
        plan.redacted_description = f"{opening} {original.redacted_description.replace(before, after, 1)}"


# ---------------------------------------------------------------------------------------------------------------
# The life of a case: what happened to it between filing and now
# ---------------------------------------------------------------------------------------------------------------

@dataclass
class Life:
    status: str = Status.RECEIVED.value
    agency: object = None
    suggested: object = None
    rule_id: int | None = None
    routing_kept: bool | None = None
    accepted_at: datetime | None = None
    answered_at: datetime | None = None
    closed_at: datetime | None = None
    accept_due_at: datetime | None = None
    resolve_due_at: datetime | None = None
    accept_escalated_at: datetime | None = None
    resolve_escalated_at: datetime | None = None
    complex_case: bool = False
    extensions_used: int = 0
    rejection_reason: str = ""
    merged: bool = False
    events: list = field(default_factory=list)  # (at, actor, action, public, note, data)
    extensions: list = field(default_factory=list)
    rating: dict | None = None

    def add(self, at, actor, action, public=False, note="", data=None):
        self.events.append((at, actor, action, public, note, data or {}))

    @property
    def updated_at(self):
        return max(event[0] for event in self.events)


def between(rng, start, end):
    """A moment between two instants, to the second."""
    seconds = max(1, int((end - start).total_seconds()))
    return start + timedelta(seconds=rng.randrange(1, seconds + 1))


def hours(rng, low, high):
    """A duration of `low` to `high` hours, to the second."""
    return timedelta(seconds=rng.randrange(int(low * 3600), int(high * 3600)))


def worker_delay(rng):
    return timedelta(minutes=rng.randrange(1, 10))


class Lives:
    """Decides each case's course from its age; agencies differ in lateness and residents' satisfaction."""

    def __init__(self, seed, now, deadlines, staff):
        self.seed, self.now, self.deadlines, self.staff = seed, now, deadlines, staff
        self._traits = {}

    def traits(self, agency):
        """(share answered late, satisfaction offset) of an agency, the same for every run with this seed."""
        if agency.id not in self._traits:
            rng = random.Random(f"{self.seed}:agency:{agency.code}")
            self._traits[agency.id] = (rng.uniform(*LATE_SHARE), rng.gauss(0, SATISFACTION_SPREAD))
        return self._traits[agency.id]

    def live(self, rng, plan, suggested, rule_id, alternative):
        life = Life(agency=suggested, suggested=suggested, rule_id=rule_id)
        life.accept_due_at = self.deadlines.accept(plan.kind, plan.created_at)
        life.resolve_due_at = self.deadlines.resolve(plan.kind, plan.created_at)
        life.add(plan.created_at, "resident", "filed", True,
                 data={"agency": suggested.code, "rule": rule_id, "attachments": 0})
        intake_at = self._intake_time(rng, plan, life)
        if intake_at is None:
            return life
        if self._merged_or_rejected(rng, plan, life, intake_at):
            return life
        self._accept(rng, plan, life, intake_at, alternative)
        answered_at = self._handle(rng, plan, life)
        if answered_at is not None:
            self._after_answer(rng, life, answered_at)
        return life

    def _escalate(self, rng, life, which, due, until):
        """The deadline watch escalates an open case a few minutes after its deadline passed."""
        at = due + worker_delay(rng)
        if at >= min(until, self.now):
            return
        setattr(life, f"{which}_escalated_at", at)
        life.add(at, "system", "escalated",
                 data={"deadline": which, "due": due.isoformat(), "agency": life.agency.code})

    def _intake_time(self, rng, plan, life):
        due = life.accept_due_at
        if rng.random() < LATE_ACCEPT_SHARE:
            at = due + hours(rng, 1, 24 * 6)
        else:
            at = between(rng, plan.created_at + timedelta(minutes=5), due)
        self._escalate(rng, life, "accept", due, at)
        return at if at <= self.now else None

    def _merged_or_rejected(self, rng, plan, life, at):
        original = plan.original
        intake = self.staff.intake
        if original is not None:
            still_open = original.life.closed_at is None or original.life.closed_at > at
            if still_open and original.life.status != Status.RECEIVED.value and rng.random() < 0.75:
                life.status, life.closed_at, life.merged = Status.MERGED.value, at, True
                life.add(at, intake, "merged", True, data={"into": original.code})
                return True
            if rng.random() < 0.4:
                return self._reject(life, at, "duplicate" if still_open else "already_resolved")
        if rng.random() < REJECT_SHARE:
            return self._reject(life, at, rng.choices(list(REJECTIONS), weights=list(REJECTIONS.values()))[0])
        return False

    def _reject(self, life, at, reason):
        life.status, life.closed_at, life.rejection_reason = Status.REJECTED.value, at, reason
        life.add(at, self.staff.intake, "rejected", True, note=REJECTION_NOTE if reason == "other" else "",
                 data={"reason": reason})
        return True

    def _accept(self, rng, plan, life, at, alternative):
        life.complex_case = plan.kind == Kind.KHIEU_NAI.value and rng.random() < COMPLEX_SHARE
        if alternative is not None and alternative.id != life.suggested.id and rng.random() < CORRECTED_ROUTING_SHARE:
            life.agency = alternative
        life.routing_kept = life.agency.id == life.suggested.id
        life.status, life.accepted_at = Status.ASSIGNED.value, at
        life.resolve_due_at = self.deadlines.resolve(plan.kind, at, life.complex_case)
        life.add(at, self.staff.intake, "accepted", True, data={"changes": {}})
        life.add(at, self.staff.intake, "assigned", True,
                 data={"agency": life.agency.code, "suggested": life.suggested.code, "kept": life.routing_kept})

    def _handle(self, rng, plan, life):
        """Extensions, then the answer (or none yet); returns when the case was answered."""
        late_share, _ = self.traits(life.agency)
        busy_until, pending = self._extensions(rng, plan, life)
        due = life.resolve_due_at
        if pending or rng.random() < STUCK_SHARE:
            answered_at = max(due, self.now) + hours(rng, 24 * 30, 24 * 400)
        elif rng.random() < late_share:
            answered_at = due + hours(rng, 2, 24 * 30)
        else:
            answered_at = between(rng, busy_until + timedelta(hours=1), due)
        self._escalate(rng, life, "resolve", due, answered_at)
        if answered_at > self.now:
            if rng.random() < 0.6:
                started = between(rng, life.accepted_at, min(self.now, life.accepted_at + timedelta(days=3)))
                life.status = Status.IN_PROGRESS.value
                life.add(started, self.staff.officer(life.agency), "in_progress", True)
            return None
        self._answer(rng, life, answered_at)
        return answered_at

    def _extensions(self, rng, plan, life):
        """Up to the kind's limit of extension requests, decided before the deadline runs out.
        Returns (when the last one was decided, whether one still waits for the head)."""
        busy_until = life.accepted_at
        if rng.random() >= EXTENSION_SHARE[plan.kind]:
            return busy_until, False
        officer, head = self.staff.officer(life.agency), self.staff.head(life.agency)
        for _ in range(self.deadlines.max_extensions(plan.kind)):
            due = life.resolve_due_at
            requested = busy_until + (due - busy_until) * rng.uniform(0.5, 0.9)
            requested = requested.replace(microsecond=0)
            if requested > self.now:
                break
            reason = rng.choice(EXTENSION_REASONS)
            life.add(requested, officer, "extension_requested", note=reason)
            request = {"requested": requested, "reason": reason, "officer": officer, "head": head, "status": PENDING,
                       "decided": None}
            life.extensions.append(request)
            decided = (requested + min(hours(rng, 1, 48), (due - requested) * 0.9)).replace(microsecond=0)
            if decided > self.now:
                return busy_until, True
            request["decided"] = busy_until = decided
            if rng.random() < 0.15:
                request["status"] = REFUSED
                life.add(decided, head, "extension_refused", note="Chưa đủ căn cứ để gia hạn.")
                break
            request["status"] = APPROVED
            life.resolve_due_at = self.deadlines.extend(plan.kind, due)
            life.extensions_used += 1
            life.add(decided, head, "extended", True, note=reason,
                     data={"from": due.isoformat(), "to": life.resolve_due_at.isoformat()})
            if rng.random() < 0.7:
                break
        return busy_until, False

    def _answer(self, rng, life, at):
        text = rng.choice(ANSWERS).format(day=fmt_day(at), agency=life.agency.name_vi)
        life.status, life.answered_at = Status.ANSWERED.value, at
        life.add(at, self.staff.officer(life.agency), "answered", True, note=text,
                 data={"resolved": rng.random() < 0.7, "evidence": 0})

    def _after_answer(self, rng, life, answered_at):
        """The resident rates the answer (closing or reopening it), or the rating window closes it."""
        if rng.random() < RATED_SHARE:
            rated_at = answered_at + hours(rng, 1, RATING_WINDOW.total_seconds() / 3600 - 1)
            if rated_at <= self.now:
                self._rate(rng, life, rated_at)
                return
        self._close_unrated(rng, life, answered_at)

    def _close_unrated(self, rng, life, answered_at):
        closes = answered_at + RATING_WINDOW + worker_delay(rng)
        if closes <= self.now:
            life.status, life.closed_at = Status.CLOSED.value, closes
            life.add(closes, "system", "closed", True, data={"unrated": True})

    def _rate(self, rng, life, at):
        _, offset = self.traits(life.agency)
        late = life.resolve_escalated_at is not None
        mean = MEAN_SCORE + offset - (LATE_PENALTY if late else 0)
        scores = {a: min(5, max(1, round(rng.gauss(mean + bias, 0.9)))) for a, bias in ASPECT_BIAS.items()}
        score = sum(scores.values()) / len(scores)
        satisfied = score >= 3 and scores["result"] >= 3
        comment = rng.choice(RATING_COMMENTS[satisfied])
        life.rating = dict(scores, score=score, satisfied=satisfied, comment=comment, created_at=at)
        if satisfied:
            life.status, life.closed_at = Status.CLOSED.value, at
            life.add(at, "resident", "closed", True, data={"score": score})
            return
        life.status = Status.IN_PROGRESS.value
        life.add(at, "resident", "reopened", True, note=comment, data={"score": score})
        life.add(at, "system", "escalated", data={"deadline": "dissatisfied", "score": score,
                                                  "agency": life.agency.code})
        life.resolve_escalated_at = None
        second = at + hours(rng, 24 * 2, 24 * 15)
        if second <= self.now and rng.random() < 0.9:
            self._answer(rng, life, second)
            self._close_unrated(rng, life, second)


# ---------------------------------------------------------------------------------------------------------------
# Staff accounts the handling steps are recorded under
# ---------------------------------------------------------------------------------------------------------------

class DemoStaff:
    """Disabled demo accounts: an intake desk, and an officer and a head per agency (made when first needed)."""

    def __init__(self, rng):
        self.rng = rng
        intake = self._account("demo.intake@demo.invalid", "Bộ phận tiếp nhận (dữ liệu mẫu)", Role.INTAKE, None)
        self.intake = f"user:{intake}"
        self._ids = {}

    def _account(self, email, name, role, agency):
        user = db.session.scalars(select(User).where(User.email == email)).first()
        if user is None:
            user = User(email=email, name=name, role=role.value, agency_id=agency.id if agency else None,
                        password_hash="", active=False)
            db.session.add(user)
            db.session.flush()
        return user.id

    def _pair(self, agency):
        if agency.id not in self._ids:
            slug = agency.code.lower()
            officer = self._account(f"demo.officer.{slug}@demo.invalid", person_name(self.rng)[0], Role.OFFICER, agency)
            head = self._account(f"demo.head.{slug}@demo.invalid", person_name(self.rng)[0], Role.AGENCY_HEAD, agency)
            self._ids[agency.id] = (officer, head)
        return self._ids[agency.id]

    def officer(self, agency):
        return f"user:{self._pair(agency)[0]}"

    def head(self, agency):
        return f"user:{self._pair(agency)[1]}"


# ---------------------------------------------------------------------------------------------------------------
# Planning: who files what, where and when
# ---------------------------------------------------------------------------------------------------------------

class Generator:
    """Plans complaints in the order they were filed and hands them to the writer in batches.

    Separate random streams keep the tracking codes and texts the same for a seed even when the day's date changes
    what has happened to a case since."""

    def __init__(self, seed, days):
        self.now = utcnow().replace(second=0, microsecond=0)
        self.days = days
        self.rng = random.Random(f"{seed}:content")
        self.times_rng = random.Random(f"{seed}:times")
        self.codes_rng = random.Random(f"{seed}:codes")
        self.life_rng = random.Random(f"{seed}:life")
        self.directory = Directory()
        self.deadlines = Deadlines()
        self._ward_weights(random.Random(f"{seed}:wards"))
        self.places = Places(random.Random(f"{seed}:places"), self.directory.wards)
        self.lives = Lives(seed, self.now, self.deadlines, DemoStaff(random.Random(f"{seed}:staff")))
        self.writer = Writer()
        self.used_codes = set(db.session.scalars(select(Complaint.code)))
        self.recent = deque()
        categories = self.directory.categories
        weights = [CATEGORY_WEIGHTS.get(c.code, OTHER_CATEGORY_WEIGHTS) for c in categories]
        self.category_cumulative = [list(accumulate(w[0] for w in weights)), list(accumulate(w[1] for w in weights))]
        self.procedures = self._procedures()
        self.cast = Cast(random.Random(f"{seed}:cast"), self.directory, self.pick_ward, self._category)
        self.dossier_serial = 0

    def _ward_weights(self, rng):
        """Some wards are far busier than others: urban wards, and a few hot spots."""
        weights = [(3 if w.kind == "ward" else 1) * rng.lognormvariate(0, 0.75) for w in self.directory.wards]
        self.ward_cumulative = list(accumulate(weights))

    def pick_ward(self, rng):
        return self.directory.wards[bisect(self.ward_cumulative, rng.random() * self.ward_cumulative[-1])]

    def _procedures(self):
        by_category = {}
        for name, category, weight in PROCEDURES:
            by_category.setdefault(category, ([], []))
            by_category[category][0].append(name)
            by_category[category][1].append(weight)
        return by_category

    # -- timing

    def filing_times(self, n):
        """N filing instants over the past days, sorted: more on weekdays and office hours, growing over the year."""
        rng = self.times_rng
        today = self.now.astimezone(HANOI).date()
        day_weights = []
        for back in range(self.days):
            day = today - timedelta(days=back)
            trend = 1.3 - 0.6 * back / self.days
            day_weights.append(trend * (0.45 if day.weekday() >= 5 else 1))
        days_cumulative, hours_cumulative = list(accumulate(day_weights)), list(accumulate(HOUR_WEIGHTS))
        times = []
        while len(times) < n:
            back = bisect(days_cumulative, rng.random() * days_cumulative[-1])
            hour = bisect(hours_cumulative, rng.random() * hours_cumulative[-1])
            day = today - timedelta(days=back)
            local = datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60), tzinfo=HANOI)
            moment = local.astimezone(UTC)
            if moment < self.now - timedelta(minutes=10):
                times.append(moment)
        times.sort()
        return times

    def new_code(self, created_at):
        """A tracking code like portal.complaints.codes.new_code, but drawn from the seeded stream."""
        year = created_at.astimezone(HANOI).year
        while True:
            code = f"HN-{year}-" + "".join(self.codes_rng.choice(ALPHABET) for _ in range(LENGTH))
            if code not in self.used_codes:
                self.used_codes.add(code)
                return code

    # -- planning

    def batches(self, n):
        batch = []
        for index, created_at in enumerate(self.filing_times(n)):
            batch.append(self.plan(index, created_at))
            if len(batch) == BATCH:
                yield batch
                batch = []
        if batch:
            yield batch

    def plan(self, index, created_at):
        rng = self.rng
        plan = Planned(index=index, code=self.new_code(created_at), created_at=created_at, kind="", category=None,
                       problem_type=None, ward=None)
        original = self.repeat_of(created_at)
        if original is not None:
            plan.original = original
            reworded(rng, plan, original)
        else:
            self.compose(rng, plan)
        self.route_and_live(plan)
        self.recent.append(plan)
        return plan

    def repeat_of(self, created_at):
        while self.recent and self.recent[0].created_at < created_at - REPEAT_WINDOW:
            self.recent.popleft()
        if not self.recent or self.rng.random() >= REPEAT_SHARE:
            return None
        original = self.recent[self.rng.randrange(len(self.recent))]
        return original if original.original is None and original.created_at < created_at - timedelta(days=3) \
            else None

    def compose(self, rng, plan):
        """Kind, subject, place, official, procedure, text and filer of a new complaint."""
        plan.kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
        plan.problem_type = rng.choice(self.directory.problem_types) if rng.random() < 0.05 else \
            self._problem_type(rng)
        official = None
        if plan.kind == Kind.TO_CAO.value or rng.random() < NAMES_OFFICIAL.get(plan.problem_type.code, 0.1):
            official = self.cast.pick(rng) if rng.random() < 0.85 else None
            self._name_official(rng, plan, official)
        if official is not None and rng.random() < 0.9:
            plan.category = official.category
            plan.ward = official.ward or self.pick_ward(rng)
        else:
            plan.category = self._category(rng, plan.problem_type.code in ABOUT_OFFICE)
            plan.ward = self.pick_ward(rng) if rng.random() < 0.95 else None
        self._procedure(rng, plan)
        office_agency = self.directory.service_agency(plan.category, plan.ward)
        office = self._office(rng, plan, office_agency), office_agency.name_vi
        mention = f"{plan.honorific} {plan.official}, {plan.position}" if plan.official else ""
        plan.filer = make_filer(rng, self.places, plan.kind, plan.ward)
        values = details(rng, plan, office, mention, self.places)
        plan.title, plan.description, plan.redacted_description = write_text(rng, plan, values, plan.filer)

    def _problem_type(self, rng):
        by_code = self.directory.problem_by_code
        codes = [c for c in PROBLEM_WEIGHTS if c in by_code]
        if not codes:
            return rng.choice(self.directory.problem_types)
        return by_code[rng.choices(codes, weights=[PROBLEM_WEIGHTS[c] for c in codes])[0]]

    def _category(self, rng, about_office=True):
        cumulative = self.category_cumulative[0 if about_office else 1]
        return self.directory.categories[bisect(cumulative, rng.random() * cumulative[-1])]

    def _name_official(self, rng, plan, official):
        if official is None:  # somebody named once
            name, gender = person_name(rng)
            plan.official, plan.honorific = name, HONORIFIC[gender]
            plan.position = rng.choice(["cán bộ tiếp nhận hồ sơ", "cán bộ thụ lý", "nhân viên"])
            return
        plan.official, plan.position, plan.honorific = official.spelled(rng), official.position, official.honorific
        plan.concerned_agency_id = official.unit.id

    def _procedure(self, rng, plan):
        share = ABOUT_PROCEDURE.get(plan.problem_type.code, 0.5)
        if plan.kind in (Kind.KIEN_NGHI.value, Kind.KHIEU_NAI.value) and share:
            share = 1.0  # a recommendation or a complaint is about a procedure
        if rng.random() >= share:
            return
        names, weights = self.procedures.get(plan.category.code, ([], []))
        if not names:
            return
        plan.procedure = rng.choices(names, weights=weights)[0]
        if plan.problem_type.code in ("delay", "wrong_procedure", "bribe_request") and rng.random() < 0.6:
            self.dossier_serial += rng.randrange(1, 40)
            plan.dossier = f"H01.{plan.created_at.astimezone(HANOI).year}.{self.dossier_serial % 1_000_000:06d}"

    @staticmethod
    def _office(rng, plan, agency):
        if agency.ward_id is not None and plan.ward is not None:
            where = lower_first(plan.ward.name_vi)
            return rng.choice(WARD_OFFICES).format(ward=where, n=rng.randrange(1, 9))
        return rng.choice(DEPARTMENT_OFFICES).format(agency=agency.name_vi, n=rng.randrange(1, 9))

    def route_and_live(self, plan):
        directory = self.directory
        agency, rule_id = directory.route(plan.category, plan.problem_type, plan.ward)
        if plan.official:
            agency = directory.impartial(agency, plan.official, plan.position, plan.concerned_agency_id)
        alternative = directory.route(plan.category, plan.problem_type, None)[0] if plan.ward else None
        plan.life = self.lives.live(self.life_rng, plan, agency, rule_id, alternative)


# ---------------------------------------------------------------------------------------------------------------
# Writing: Core inserts in batches (no ORM flush, so no per-complaint outbox row)
# ---------------------------------------------------------------------------------------------------------------

def insert_returning_ids(table, rows):
    """Insert rows with one Core executemany; return their new ids in order.

    On PostgreSQL the ids are drawn from the table's sequence first and sent with the rows: psycopg parses a large
    multi-row INSERT … RETURNING in Python, several times slower than a plain executemany."""
    if db.session.get_bind().dialect.name != "postgresql":
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return db.session.execute(statement, rows).scalars().all()
    ids = sorted(db.session.scalars(text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
                                         "FROM generate_series(1, :n)"), {"table": table.name, "n": len(rows)}))
    db.session.execute(insert(table), [dict(row, id=row_id) for row, row_id in zip(rows, ids, strict=True)])
    return ids


class Writer:
    """Writes a batch of planned complaints with Core executemany statements and commits it."""

    def __init__(self):
        self.counts = {"filers": 0, "events": 0, "ratings": 0, "extensions": 0}
        self._official_keys, self._procedure_keys = {}, {}

    def write(self, batch):
        self._filers(batch)
        self._complaints(batch)
        self._merges(batch)
        self._events(batch)
        self._extensions(batch)
        self._ratings(batch)
        db.session.commit()
        for plan in batch:  # keep what a later re-submission needs, drop the rest
            plan.life.events = plan.life.extensions = None

    def _filers(self, batch):
        new = [plan for plan in batch if plan.filer is not None and plan.filer_from is None]
        if new:
            ids = insert_returning_ids(Filer.__table__, [plan.filer for plan in new])
            for plan, filer_id in zip(new, ids, strict=True):
                plan.filer_id = filer_id
            self.counts["filers"] += len(new)
        for plan in batch:
            if plan.filer_from is not None:
                plan.filer_id = plan.filer_from.filer_id
            plan.filer = None

    def _complaints(self, batch):
        ids = insert_returning_ids(Complaint.__table__, [self._complaint_row(plan) for plan in batch])
        for plan, complaint_id in zip(batch, ids, strict=True):
            plan.id = complaint_id

    def _complaint_row(self, plan):
        life = plan.life
        redacted = plan.kind == Kind.TO_CAO.value and life.accepted_at is not None
        return {
            "code": plan.code, "kind": plan.kind, "status": life.status, "locale": "vi",
            "anonymous": plan.filer_id is None, "filer_id": plan.filer_id,
            "concerned_agency_id": plan.concerned_agency_id, "agency_id": life.agency.id,
            "routing_rule_id": life.rule_id, "official_name": plan.official, "official_position": plan.position,
            "official_key": self._official_key(plan.official), "procedure_key": self._procedure_key(plan.procedure),
            "procedure_name": plan.procedure, "dossier_code": plan.dossier, "category_id": plan.category.id,
            "problem_type_id": plan.problem_type.id, "ward_id": plan.ward.id if plan.ward else None,
            "title": plan.title, "description": plan.description,
            "redacted_title": plan.title if redacted else None,
            "redacted_description": plan.redacted_description if redacted else None,
            "suggested_agency_id": life.suggested.id, "routing_kept": life.routing_kept, "merged_into_id": None,
            "rejection_reason": life.rejection_reason, "complex_case": life.complex_case,
            "extensions_used": life.extensions_used, "created_at": plan.created_at, "updated_at": life.updated_at,
            "accepted_at": life.accepted_at, "answered_at": life.answered_at, "closed_at": life.closed_at,
            "accept_due_at": life.accept_due_at, "resolve_due_at": life.resolve_due_at,
            "accept_reminded_at": None, "resolve_reminded_at": None,
            "accept_escalated_at": life.accept_escalated_at, "resolve_escalated_at": life.resolve_escalated_at,
            "version": 1,
        }

    def _official_key(self, name):
        if not name:
            return None
        if name not in self._official_keys:
            self._official_keys[name] = canonical_official(name)
        return self._official_keys[name]

    def _procedure_key(self, name):
        if not name:
            return None
        if name not in self._procedure_keys:
            self._procedure_keys[name] = procedure_key(name) or None
        return self._procedure_keys[name]

    def _merges(self, batch):
        """Point merged re-submissions at their original (whose id may have come with this very batch)."""
        rows = [{"row_id": plan.id, "into": plan.original.id, "at": plan.life.updated_at}
                for plan in batch if plan.life.merged]
        if rows:
            table = Complaint.__table__
            db.session.execute(update(table).where(table.c.id == bindparam("row_id"))
                               .values(merged_into_id=bindparam("into"), updated_at=bindparam("at")), rows)

    def _events(self, batch):
        rows = []
        for plan in batch:
            previous = GENESIS
            ordered = sorted(plan.life.events, key=lambda event: event[0])
            for seq, (at, actor, action, public, note, data) in enumerate(ordered, start=1):
                row = {"complaint_id": plan.id, "seq": seq, "created_at": at, "actor": actor, "action": action,
                       "public": public, "note": note, "data": data, "prev_hash": previous}
                row["hash"] = previous = CaseEvent.compute_hash(SimpleNamespace(**row))
                rows.append(row)
        db.session.execute(insert(CaseEvent.__table__), rows)
        self.counts["events"] += len(rows)

    def _extensions(self, batch):
        rows = [{"complaint_id": plan.id, "requested_by_id": _user_id(ext["officer"]), "reason": ext["reason"],
                 "status": ext["status"], "decided_by_id": _user_id(ext["head"]) if ext["decided"] else None,
                 "decision_note": "", "created_at": ext["requested"], "decided_at": ext["decided"]}
                for plan in batch for ext in plan.life.extensions]
        if rows:
            db.session.execute(insert(ExtensionRequest.__table__), rows)
            self.counts["extensions"] += len(rows)

    def _ratings(self, batch):
        rows = [dict(plan.life.rating, complaint_id=plan.id) for plan in batch if plan.life.rating]
        if rows:
            db.session.execute(insert(Rating.__table__), rows)
            self.counts["ratings"] += len(rows)


def _user_id(actor):
    return int(actor.split(":", 1)[1])
