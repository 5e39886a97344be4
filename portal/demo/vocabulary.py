"""The demo generator's vocabulary: weights, names, places and sentence templates (data only, no logic).

Nothing here is real; see portal/demo/generate.py for how it is used."""

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
PUBLICATION_DECLINED = "Nội dung nêu cụ thể hoàn cảnh gia đình người gửi, dễ nhận ra người gửi: không công khai."
REJECTION_NOTE = "Nội dung không thuộc phạm vi tiếp nhận của Cổng; đề nghị liên hệ Tòa án nhân dân khu vực."
EXTENSION_REASONS = ["Cần xác minh thực địa và lấy ý kiến các hộ liền kề.",
                     "Vụ việc phức tạp, cần phối hợp với sở chuyên ngành.", "Cần trưng cầu giám định, đo đạc lại.",
                     "Chờ kết quả xác minh từ cơ quan thuế."]
ASSIGNMENT_TASKS = ["Xác minh thực địa, làm việc với bộ phận một cửa và trả lời người dân.",
                    "Kiểm tra tiến độ hồ sơ, báo cáo lãnh đạo và trả kết quả đúng hạn.",
                    "Làm rõ trách nhiệm của cán bộ liên quan, đề xuất hình thức xử lý.",
                    "Phối hợp với UBND phường kiểm tra hiện trạng và trả lời bằng văn bản."]
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
ASSIGNED_SHARE = 0.9  # of accepted cases, the agency head names an officer ("5 rõ") within the hour
OFFICERS_PER_AGENCY = 3
