"""The words the personal-data detection reads people's writing with (portal/cases/detection.py), folded as
portal.domain.text folds them (lower case, no diacritics, đ → d) unless said otherwise."""
from functools import cache
from pathlib import Path

import yaml

# Digits as Vietnamese say them one by one when giving a number ("không chín một hai..."). Not "linh", "lăm",
# "mốt": those are read inside amounts, not digit by digit.
DIGIT_WORDS = {"khong": "0", "ko": "0", "mot": "1", "hai": "2", "ba": "3", "bon": "4", "tu": "4", "nam": "5",
               "sau": "6", "bay": "7", "tam": "8", "chin": "9"}

# Vietnamese family names, as written: the first word of a full name ("Ngô", not "ngõ"; "Phạm", not "phạm" the
# verb, which a capital tells apart). A strong one starts a name of two words ("Nguyễn Hoa"); a weak one is also
# an everyday word ("Đỗ", "Hà", "Mai", "Trương"...) and starts a name only followed by a middle name ("Đỗ Văn Nam",
# not "Do Văn phòng").
STRONG_SURNAMES = {
    "nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ", "bùi", "ngô", "dương", "lý", "đinh",
    "trịnh", "lương", "quách", "triệu", "phùng", "nghiêm", "lưu", "vương", "kiều", "khúc", "lại", "tiêu", "diệp",
    "thạch", "khuất", "hứa", "nông", "doãn", "đặng", "đoàn", "đỗ", "trương",
}
WEAK_SURNAMES = {
    "hà", "mai", "lâm", "kim", "tô", "tôn", "vi", "lò", "cù", "khổng", "ông", "đàm", "mạnh", "quan", "giang",
    "tăng", "tiết", "ứng", "yên", "đồng", "thân", "phí", "nhữ", "hồ", "cao", "văn", "la", "lã", "từ", "thái",
    "chu", "phó", "tạ", "đào", "lục", "âu", "bạch", "viên", "ninh", "giáp", "mạc", "tống", "ưng", "cấn", "bế",
    "sầm", "mẫn", "lỗ", "quản", "hàn", "thiều", "công", "châu", "biện", "đổng", "văng", "mã", "chử", "âu dương",
    "hờ", "giàng", "sùng", "vàng", "thào", "lý", "h'",
}

# Middle names: a family name with one of them after it is a full name even in lower case ("nguyễn văn an").
MIDDLE_NAMES = {
    "văn", "thị", "đức", "hữu", "đình", "xuân", "ngọc", "minh", "quốc", "thanh", "công", "quang", "kim", "hồng",
    "thu", "bảo", "tiến", "anh", "mạnh", "trung", "tuấn", "hoàng", "gia", "phương", "thúy", "thùy", "khánh",
    "bích", "hải", "việt", "đăng", "thế", "như", "diệu", "mỹ", "hoài", "thục", "trọng", "khắc", "duy", "huy",
    "thành", "hương", "lan", "thái", "trí", "bá", "chí", "tuệ", "thiện",
}

# Common given names: in a text all in capitals, the words after an honorific that are among them make the name
# ("CHỊ LAN ANH BÁN HÀNG": Lan Anh).
GIVEN_NAMES = {
    "an", "anh", "bảo", "bình", "bích", "chi", "chiến", "châu", "cúc", "cường", "dung", "duy", "dũng", "dương",
    "đạt", "điệp", "định", "đông", "đức", "giang", "hà", "hải", "hạnh", "hào", "hằng", "hiền", "hiếu", "hiệp",
    "hoa", "hòa", "hoài", "hoàng", "hồng", "huệ", "hùng", "hưng", "hương", "hường", "huy", "huyền", "khang",
    "khánh", "khoa", "khôi", "kiên", "kim", "lan", "liên", "linh", "loan", "long", "lộc", "lợi", "mai", "mạnh",
    "minh", "my", "nam", "nga", "ngân", "nghĩa", "ngọc", "nguyệt", "nhàn", "nhung", "như", "oanh", "phong",
    "phúc", "phương", "quang", "quân", "quế", "quốc", "quý", "quyên", "quỳnh", "sơn", "tài", "tâm", "tân",
    "thái", "thanh", "thành", "thảo", "thắm", "thắng", "thơm", "thu", "thủy", "thúy", "thư", "tiến", "toàn",
    "trang", "trinh", "trung", "trúc", "tú", "tuấn", "tùng", "tuyết", "vân", "việt", "vinh", "vũ", "xuân",
    "yến", "duyên", "diệp", "gấm", "hậu", "khải", "khai", "lâm", "lực", "lương", "nhân", "sang", "sen", "tám",
    "thoa", "tuyên", "ánh", "đào", "hoàn", "hợp", "luân", "phát", "thịnh", "tình", "uyên", "vy",
}

# A full name in lower case is told by "văn" or "thị" after a family name that is no everyday word ("nguyễn văn
# an"; not "gửi lại văn bản", "quản lý văn bản"), except typed without diacritics as "phân vân".
LOWER_CASE_SURNAMES = STRONG_SURNAMES - {"lại", "lý", "đinh", "lương"}
LOWER_CASE_MIDDLE_NAMES = {"văn", "thị"}
NOT_NAMES = {"phan van"}

# Honorifics before a person's name, as written (with diacritics: "Ba Đình" is a place, "bà Lan" a person); in a
# text typed without any diacritic, their folded forms.
HONORIFICS = ("ông", "bà", "anh", "chị", "cô", "chú", "em", "cháu", "cụ", "bác", "dì", "thím", "mợ", "cậu",
              "ông/bà", "bà/ông", "o", "bé", "a", "e", "c", "cj", "chj", "bạn")

# Words after which a person's name follows ("tôi là ...", "họ tên: ..."), folded.
NAME_CUES = ("toi la", "e la", "chau la", "minh la", "to la", "con la", "anh la", "chi la", "ten em la", "em ten",
             "e ten", "ten toi la", "toi ten la", "toi ten", "ho ten", "ho va ten", "ho, ten", "nguoi gui",
             "nguoi phan anh", "nguoi kien nghi", "nguoi to cao", "nguoi lam don", "nguoi viet don",
             "minh la", "em la", "toi ten la", "cong dan", "ong ba", "nguoi dai dien", "dai dien",
             "vo toi la", "chong toi la", "con toi la", "me toi la", "bo toi la", "chu ho la", "chu ho",
             "ten la", "ten chu ho", "nguoi lien he", "lien he voi", "chu nha la", "chu dau tu la", "ky ten", "ten")

# Words that end a name typed in lower case ("nguyễn văn an ở phường..."): a name's last word is none of these.
AFTER_NAMES = {"ở", "là", "và", "có", "đã", "bị", "đề", "số", "sđt", "tại", "nhà", "gọi", "theo", "cho", "của",
               "với", "xin", "đến", "không", "thì", "mà", "được", "nay", "cũng", "vẫn", "đang", "sẽ", "email",
               "điện", "địa", "sinh", "trú", "cư", "phường", "xã", "quận", "ngõ", "phố", "đường", "hiện", "làm",
               "o", "la", "va", "co", "da", "bi", "de", "so", "sdt", "tai", "nha", "goi", "cua", "voi"}

# Words a place's name follows, as written: "phố Trần Hưng Đạo", "trường Chu Văn An", "phường Hai Bà Trưng" are
# no persons (and "chợ" is no "cho", "hồ" no "họ", "cửa" no "của").
PLACE_CUES = {
    "phố", "đường", "ngõ", "ngách", "hẻm", "kiệt", "phường", "quận", "xã", "huyện", "thị trấn", "thị xã", "tỉnh",
    "thành phố", "tp", "tp.", "chợ", "cầu", "bến xe", "bến", "trường", "thpt", "thcs", "tiểu học", "mầm non",
    "đại học", "học viện", "bệnh viện", "bv", "trạm y tế", "công viên", "hồ", "khu đô thị", "kđt", "tòa nhà",
    "chung cư", "khu", "làng", "thôn", "xóm", "ấp", "nhà văn hóa", "đình", "chùa", "đền", "nút giao", "ga",
    "vườn hoa", "quảng trường", "nhà hát", "bảo tàng", "sân vận động", "công ty", "tập đoàn", "ngân hàng",
    "tuyến", "tuyến phố", "cụm", "khu phố", "nhà thi đấu", "cung", "cửa", "dốc", "bãi", "vỉa hè", "cổng", "tượng",
    "tập thể", "khu tập thể", "kcn", "khu công nghiệp", "đê", "sông", "núi", "đảo", "tuyến đường", "đại lộ",
}
# Place cues that, without their diacritics, are everyday words ("của", "cho", "họ", "câu", "đến"...): not read
# in a text typed without diacritics.
AMBIGUOUS_FOLDED_CUES = {"cua", "cho", "ho", "cau", "den", "dinh", "cung", "ga", "ben", "bai", "doc", "cong", "de",
                         "dao", "song", "nui", "tuong", "ap", "lang", "cum", "khu", "tuyen", "so"}
# After "dân phố" comes a person ("tổ trưởng dân phố Trịnh Văn Quang"), not a street.
NOT_PLACE_CUES = ("dân phố", "dan pho")

# First words of an official's position or a group, as written: "Tôi là Chủ tịch...", "tôi là người dân..." name
# no person ("Hờ A Dính" is one).
TITLE_WORDS = {"chủ", "phó", "giám", "trưởng", "cán", "chuyên", "công", "nhân", "thanh", "kế", "văn", "đoàn", "bí",
               "ủy", "đại", "tổ", "thư", "chánh", "tổng", "cục", "vụ", "sở", "ban", "ubnd", "hđnd", "phòng", "người",
               "dân", "hộ", "gia", "cư", "học", "sinh", "giáo", "y", "kỹ", "luật", "giáo viên", "bác sĩ", "nhà"}

# Places and figures named like people (besides the wards and communes of the directory's data).
PLACES = (
    "Ông Công", "Ông Táo", "Táo Quân", "chị Hằng", "Thánh Gióng", "Bà Chúa Kho", "Ông Địa", "Bà Chúa Xứ",
    "Hà Nội", "Hà Đông", "Hà Giang", "Hà Tĩnh", "Hà Nam", "Hoàng Mai", "Hoàng Liệt", "Hoàng Hoa Thám",
    "Lê Đại Hành", "Hai Bà Trưng", "Bà Triệu", "Bà Rịa", "Bà Đen", "Bà Chiểu", "Bà Huyện Thanh Quan",
    "Ông Ích Khiêm", "Cô Tô", "Cô Giang", "Cô Bắc", "Mai Dịch", "Mai Động", "Mai Hương", "Trần Hưng Đạo",
    "Lý Thường Kiệt", "Lý Thái Tổ", "Lý Nam Đế", "Đinh Tiên Hoàng", "Lê Thái Tổ", "Lê Duẩn", "Lê Lợi",
    "Nguyễn Trãi", "Nguyễn Du", "Ngô Quyền", "Phan Đình Phùng", "Phan Chu Trinh", "Trần Phú", "Lê Văn Lương",
    "Nguyễn Văn Cừ", "Chu Văn An", "Bùi Thị Xuân", "Hoàng Quốc Việt", "Phạm Văn Đồng", "Phạm Hùng",
    "Trần Duy Hưng", "Nguyễn Chí Thanh", "Lê Văn Thiêm", "Trường Chinh", "Võ Chí Công", "Võ Nguyên Giáp",
    "Nguyễn Xiển", "Giải Phóng", "Tôn Đức Thắng", "Trần Khát Chân", "Hồ Tùng Mậu", "Hồ Gươm", "Hồ Tây",
    "Hồ Chí Minh", "Quang Trung", "Lạc Long Quân", "Âu Cơ", "Đội Cấn", "Kim Mã", "Kim Liên", "Văn Miếu",
    "Thái Hà", "Thái Thịnh", "Tây Sơn", "Đặng Tiến Đông", "Đặng Văn Ngữ", "Nguyễn Lương Bằng", "Lê Trọng Tấn",
    "Nguyễn Hoàng", "Trần Cung", "Trần Đăng Ninh", "Trần Quốc Hoàn", "Trần Quang Khải", "Trần Nhật Duật",
    "Hàng Bông", "Hàng Bài", "Hàng Đào", "Hàng Gai", "Phùng Hưng", "Đào Tấn", "Mạc Thái Tổ", "Dương Đình Nghệ",
    "Tô Hiến Thành", "Tô Hiệu", "Đồng Xuân", "Long Biên", "Cầu Giấy", "Ba Đình", "Đống Đa", "Tây Hồ",
    "Thanh Xuân", "Sóc Sơn", "Đông Anh", "Gia Lâm", "Mê Linh", "Sơn Tây", "Ba Vì", "Mỹ Đình", "Bạch Mai",
    "Cao Bằng", "Thái Bình", "Thái Nguyên", "Ninh Bình", "Từ Liêm", "Lạng Sơn", "Lâm Đồng", "Đồng Nai",
    "Văn Quán", "Văn Cao", "Văn Chương", "Hoàng Cầu", "Lê Thanh Nghị", "Nguyễn Lương Bằng", "Trương Định",
    "Lê Thánh Tông", "Lê Thánh Tôn", "Lê Hồng Phong", "Lê Quý Đôn", "Lê Ngọc Hân", "Lê Văn Hưu", "Lê Quang Đạo",
    "Nguyễn Thái Học", "Nguyễn Tri Phương", "Nguyễn Biểu", "Nguyễn Cảnh Chân", "Nguyễn Công Trứ", "Nguyễn Khuyến",
    "Nguyễn Khang", "Nguyễn Văn Huyên", "Nguyễn Phong Sắc", "Nguyễn Thị Định", "Nguyễn Tuân", "Nguyễn Trường Tộ",
    "Nguyễn Chí Thanh", "Nguyễn Du", "Nguyễn Hữu Huân", "Nguyễn Khắc Hiếu", "Nguyễn Siêu", "Nguyễn Quang Bích",
    "Nguyễn Đình Chiểu", "Nguyễn Thượng Hiền", "Nguyễn Gia Thiều", "Nguyễn Bỉnh Khiêm", "Nguyễn Khánh Toàn",
    "Trần Quốc Toản", "Trần Bình Trọng", "Trần Xuân Soạn", "Trần Nhân Tông", "Trần Thánh Tông", "Trần Khánh Dư",
    "Trần Đại Nghĩa", "Trần Thái Tông", "Trần Tử Bình", "Trần Vỹ", "Trần Điền", "Trần Kim Xuyến",
    "Phan Bội Châu", "Phan Huy Chú", "Phan Kế Bính", "Phan Văn Trường", "Phan Đăng Lưu", "Phan Văn Trị",
    "Lý Nam Đế", "Lý Quốc Sư", "Lý Thánh Tông", "Lý Văn Phức", "Hoàng Diệu", "Hoàng Văn Thụ", "Hoàng Minh Giám",
    "Hoàng Đạo Thúy", "Hoàng Ngân", "Hoàng Cầu", "Hoàng Sâm", "Huỳnh Thúc Kháng", "Phạm Ngũ Lão", "Phạm Sư Mạnh",
    "Phạm Văn Bạch", "Phạm Tuấn Tài", "Phạm Thận Duật", "Võ Văn Kiệt", "Võ Thị Sáu", "Vũ Trọng Phụng",
    "Vũ Phạm Hàm", "Vũ Ngọc Phan", "Vũ Hữu", "Bùi Xương Trạch", "Ngô Thì Nhậm", "Ngô Gia Tự", "Ngô Sĩ Liên",
    "Ngô Thì Sĩ", "Dương Quảng Hàm", "Dương Khuê", "Đinh Lễ", "Đinh Công Tráng", "Đinh Núp", "Trịnh Hoài Đức",
    "Trịnh Công Sơn", "Lương Văn Can", "Lương Thế Vinh", "Lương Định Của", "Triệu Việt Vương", "Phùng Khắc Khoan",
    "Lưu Quang Vũ", "Đặng Dung", "Đặng Thai Mai", "Đoàn Trần Nghiệp", "Đỗ Đức Dục", "Đỗ Hành", "Trương Hán Siêu",
    "Hồ Xuân Hương", "Hồ Đắc Di", "Tạ Quang Bửu", "Tô Hiến Thành", "Tôn Thất Thuyết", "Tôn Thất Tùng",
    "Mạc Đĩnh Chi", "Chu Văn An", "Cao Bá Quát", "Cao Thắng", "Hàn Thuyên", "Mai Hắc Đế", "Lạc Trung",
    "Việt Nam", "Thủ Đô", "Thăng Long", "Cửa Nam", "Khâm Thiên", "Lò Đúc", "Tràng Tiền", "Hoàn Kiếm",
)

# Top-level domains a spelled-out address ends with ("x at y dot com"): without one, "at"/"dot" are words.
TLDS = {"com", "vn", "net", "org", "edu", "gov", "info", "biz", "io", "me", "co", "uk", "us", "jp", "kr", "cn",
        "fr", "de", "au", "sg", "ru", "tv", "online", "xyz"}
MAIL_PROVIDERS = {"gmail", "yahoo", "hotmail", "outlook", "icloud", "live", "ymail", "zoho", "protonmail",
                  "fpt", "vnn", "viettel"}


@cache
def ward_names():
    """The names of Hanoi's wards and communes, without "Phường"/"Xã", from the directory's data file."""
    data = yaml.safe_load((Path(__file__).parent.parent / "directory" / "data" / "wards.yaml").read_text("utf-8"))
    return tuple(ward["name_vi"].split(" ", 1)[1] for ward in data["wards"] if " " in ward["name_vi"])
