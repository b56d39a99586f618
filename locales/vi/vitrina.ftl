### Vitrina: tiếng Việt.
### Every message exists in ru, en, vi and ko with the same arguments (the tests check it).
### Plain text only: no HTML markup and no less-than, greater-than or ampersand characters.

## Start, language, policy

language-picker = 🌐 Chọn ngôn ngữ của bạn:
language-changed = ✅ Đã chuyển sang tiếng Việt.
welcome =
    👋 Chào mừng bạn đến với Vitrina, danh mục các địa điểm và dịch vụ tại các thành phố Việt Nam.

    Trước khi bắt đầu, vui lòng đồng ý với chính sách sử dụng:
    • tin đăng chỉ xuất hiện trong danh mục sau khi được kiểm duyệt viên xem xét;
    • chúng tôi chỉ lưu những gì dịch vụ cần: Telegram ID, ngôn ngữ, thành phố và các tin bạn đăng;
    • nội dung sai sự thật, xúc phạm hoặc vi phạm pháp luật sẽ bị gỡ bỏ.

    Nhấn “Đồng ý” để tiếp tục, hoặc đọc toàn bộ chính sách trước.
policy-text =
    📜 Chính sách sử dụng Vitrina

    1. Tin đăng. Mỗi tin đăng giới thiệu một cơ sở kinh doanh hoặc dịch vụ có thật mà bạn đại diện. Nội dung, hình ảnh, địa chỉ và thông tin liên hệ phải chính xác, và bạn phải có quyền đăng chúng. Không được phép: hàng hóa và dịch vụ bất hợp pháp, nội dung người lớn, lời lẽ xúc phạm và kích động thù ghét, lừa đảo, spam, ảnh của người khác khi chưa được phép và thông tin liên hệ của người khác.

    2. Kiểm duyệt. Mọi tin đăng mới hoặc đã chỉnh sửa đều được kiểm duyệt viên xem xét trước khi xuất hiện trong danh mục. Tin đăng có thể bị từ chối kèm lý do; bạn có thể sửa và gửi lại. Tin đã đăng vi phạm chính sách có thể bị ẩn hoặc gỡ bỏ.

    3. Dữ liệu chúng tôi lưu. Telegram ID, tên và username của bạn do Telegram cung cấp, ngôn ngữ và thành phố bạn chọn, ngày bạn đồng ý với chính sách này, các tin đăng kèm hình ảnh và quyết định kiểm duyệt liên quan. Chúng tôi chỉ dùng chúng để vận hành danh mục, không bán và không chia sẻ cho bên nào khác.

    4. Xóa. Bạn có thể ẩn hoặc xóa tin đăng bất cứ lúc nào trong trang cá nhân. Tin đã xóa sẽ không bao giờ hiển thị lại; bản ghi về tin đó được giữ trong nhật ký kiểm duyệt. Để xóa mọi dữ liệu bot lưu về bạn — hồ sơ, ngôn ngữ và thành phố, hội thoại và tất cả tin đăng — hãy gửi /forget_me và xác nhận. Nhật ký kiểm duyệt vẫn giữ các bản ghi quyết định, nhưng không còn ID của bạn, tin đăng của bạn hay lý do viết về chúng.

    5. Liên hệ. Nếu có câu hỏi, khiếu nại hoặc muốn xóa dữ liệu của mình, hãy liên hệ quản trị viên danh mục (thông tin liên hệ có trong phần mô tả của bot).

    Khi chính sách thay đổi, bot sẽ đề nghị bạn đồng ý lại.
policy-accepted = ✅ Cảm ơn bạn! Bạn đã đồng ý với chính sách.
bot-short-description = Địa điểm và dịch vụ tại các thành phố Việt Nam, được kiểm duyệt: nhà hàng, spa, xe máy, khách sạn, cửa hàng và tour.
bot-description =
    🗂 Vitrina là danh mục địa điểm và dịch vụ tại các thành phố Việt Nam. Duyệt theo thành phố và danh mục, hoặc thêm cơ sở của bạn dưới dạng thẻ: mỗi thẻ đều được kiểm duyệt trước khi hiển thị.
bot-description-contact = Quản trị viên: { $contact }

## Main menu and general answers

main-menu = 🏠 Menu chính. Hãy chọn một mục bên dưới.
help =
    ❓ Cách sử dụng Vitrina

    🗂 Danh mục: chọn thành phố và loại hình, rồi xem các địa điểm.
    👤 Trang cá nhân: đăng cơ sở kinh doanh của bạn và quản lý các tin đăng.
    🌐 Ngôn ngữ: đổi ngôn ngữ của bot.

    Lệnh:
    /start: bắt đầu lại
    /menu: menu chính
    /catalog: xem danh mục
    /cabinet: trang cá nhân
    /language: đổi ngôn ngữ
    /policy: chính sách sử dụng
    /cancel: hủy thao tác hiện tại
    /help: hướng dẫn này
help-admin = /moderate: hàng chờ kiểm duyệt (dành cho quản trị viên)
unknown-input = 🤔 Xin lỗi, tôi chưa hiểu. Hãy dùng các nút menu bên dưới hoặc gửi /help.
not-allowed = ⛔ Bạn không có quyền thực hiện thao tác này.
not-found = 🔍 Không tìm thấy: có thể nội dung này đã bị xóa.
callback-outdated = ⌛ Nút này đã cũ. Vui lòng mở lại mục đó.
flood-slow-down = 🐢 Bạn đang gửi tin nhắn quá nhanh. Vui lòng đợi vài giây: những gì bạn gửi trong lúc này sẽ không được đọc.
try-later = ⚠️ Hệ thống đang gặp sự cố. Vui lòng thử lại sau một phút.
cancel-nothing = Không có gì để hủy.

## Personal cabinet

cabinet-not-partner =
    👤 Trang cá nhân

    Đây là nơi các cơ sở kinh doanh đưa mình lên danh mục. Hãy trở thành đối tác để tạo tin đăng cho nhà hàng, spa, dịch vụ cho thuê xe, khách sạn, cửa hàng hoặc tour của bạn. Kiểm duyệt viên sẽ xem xét từng tin, sau đó mọi người đều có thể tìm thấy tin trong danh mục.
cabinet-partner = 👤 Trang cá nhân. Thêm tin đăng mới hoặc quản lý các tin hiện có.
cabinet-unavailable = 🚧 Trang cá nhân hiện chưa hoạt động. Vui lòng quay lại sau.
partner-created = 🎉 Bạn đã trở thành đối tác! Hãy cùng tạo tin đăng đầu tiên.

## Add-card wizard

wizard-city = Bước 1/10. 🏙 Chọn thành phố nơi cơ sở của bạn hoạt động:
wizard-area = Bước 1/10. 📍 Chọn khu vực, hoặc nhấn “Bỏ qua”:
wizard-category = Bước 2/10. 🗂 Chọn loại hình:
wizard-subcategory = Bước 2/10. Chọn phân loại, hoặc nhấn “Bỏ qua”:
wizard-title = Bước 3/10. ✏️ Gửi tên cơ sở cho tin đăng (từ 3 đến 100 ký tự).
wizard-description = Bước 4/10. 📝 Gửi phần mô tả: bạn cung cấp gì, giờ mở cửa, giá cả (tối đa 1000 ký tự). Hoặc nhấn “Bỏ qua”.
wizard-contact = Bước 5/10. 📞 Gửi thông tin liên hệ: số điện thoại, @username Telegram hoặc một đường link (tối đa 200 ký tự).
wizard-address = Bước 6/10. 🏠 Gửi địa chỉ (từ 5 đến 300 ký tự), hoặc nhấn “Bỏ qua”.
wizard-map-link = Bước 7/10. 🗺 Gửi link bản đồ bắt đầu bằng http:// hoặc https:// (tối đa 300 ký tự), hoặc nhấn “Bỏ qua”.
wizard-photos = Bước 8/10. 📷 Gửi tối đa {$max} ảnh về địa điểm của bạn. Đã thêm: {$count}/{$max}. Nhấn “Xong” khi hoàn tất, hoặc “Bỏ qua”.
wizard-photo-added = ✅ Đã thêm ảnh {$count}/{$max}.
wizard-photo-removed = 🗑 Đã xóa ảnh cuối cùng. Còn lại: {$count} ảnh.
wizard-discount = Bước 9/10. 🎁 Bạn có ưu đãi hoặc giảm giá dành cho người dùng Vitrina không? Hãy mô tả (tối đa 100 ký tự), hoặc nhấn “Bỏ qua”.
wizard-preview = Bước 10/10. 👀 Tin đăng của bạn sẽ trông như thế này. Hãy kiểm tra rồi gửi đi kiểm duyệt.
wizard-cancelled = ❌ Đã hủy tạo tin đăng.
wizard-draft-resume = 📝 Bạn có một tin đăng chưa hoàn thành. Tiếp tục từ chỗ đã dừng, hay bắt đầu lại?
wizard-paused = 📝 Bản nháp tin đăng được giữ trong 24 giờ. Để tiếp tục: { btn-cabinet } → { btn-add-card }.
wizard-text-expected = ✍️ Ở bước này, vui lòng trả lời bằng tin nhắn văn bản.
wizard-use-buttons = 👆 Ở bước này, hãy chọn bằng các nút trong tin nhắn phía trên.
wizard-photo-expected = 📷 Vui lòng gửi ảnh (dạng hình ảnh hoặc tệp ảnh), hoặc dùng các nút bên dưới.
wizard-submitted = 🙌 Cảm ơn bạn! Tin đăng đã được gửi đi kiểm duyệt. Chúng tôi sẽ báo cho bạn ngay khi có kết quả.

## My cards and the card view

my-cards-title = 📋 Tin đăng của tôi: {$count} · trang {$page}/{$pages}
my-cards-empty = Bạn chưa có tin đăng nào. Hãy thêm tin đầu tiên!
card-status-line = Trạng thái: {$status}
card-rejection-reason = ❗ Lý do từ chối: {$reason}
card-field-area = 📍 Khu vực: {$area}
card-field-address = 🏠 Địa chỉ: {$address}
card-field-contact = 📞 Liên hệ: {$contact}
card-field-discount = 🎁 Ưu đãi: {$discount}
card-hidden = 🙈 Tin đăng đã được ẩn khỏi danh mục.
card-shown = 👁 Tin đăng đã hiển thị lại trong danh mục.
card-delete-confirm = 🗑 Xóa tin đăng này? Thao tác này không thể hoàn tác.
card-deleted = 🗑 Đã xóa tin đăng.

## Catalog

catalog-choose-city = 🏙 Chọn thành phố:
catalog-city-chosen = 📍 Thành phố của bạn: {$city}. Tôi sẽ ghi nhớ lựa chọn này.
catalog-choose-category = 🗂 {$city}: chọn loại hình:
catalog-category-count = {$name} ({$count})
catalog-choose-subcategory = 🗂 {$city} · {$category}: chọn phân loại:
catalog-list = 📍 {$city} · {$category} · trang {$page}/{$pages}
catalog-empty = Ở đây chưa có gì. Hãy thử loại hình hoặc thành phố khác.

## Moderation

moderation-queue = 🛡 Đang chờ kiểm duyệt: {$left} tin đăng.
moderation-submitter = 👤 Người gửi: {$partner}
moderation-resubmitted = 🔁 Gửi lại sau khi bị từ chối.
moderation-empty = ✨ Không có tin đăng nào đang chờ kiểm duyệt.
moderation-finished = ⏹ Đã kết thúc kiểm duyệt.
moderation-finished-left = ⏹ Đã kết thúc kiểm duyệt. Vẫn đang chờ: {$left}.
moderation-approved = ✅ Đã duyệt: tin đăng đã được công bố.
moderation-rejected = ❌ Đã từ chối: đối tác đã được thông báo lý do.
moderation-choose-reason = Vì sao tin đăng bị từ chối? Chọn lý do:
moderation-enter-reason = ✍️ Nhập lý do gửi đối tác (từ 10 đến 500 ký tự):
moderation-already-decided = ℹ️ Tin đăng này đã được một quản trị viên khác kiểm duyệt.
moderation-unavailable = 🚧 Chức năng kiểm duyệt đang tắt.

## Messages to another person: written in the recipient's language

notify-card-published = 🎉 Tin đăng “{$title}” của bạn đã được công bố trong danh mục!
notify-card-rejected =
    ❌ Tin đăng “{$title}” của bạn đã bị từ chối.
    Lý do: {$reason}
    Bạn có thể sửa tin trong trang cá nhân và gửi lại.
notify-new-submission = 🆕 Tin đăng mới cần kiểm duyệt: “{$title}” từ {$partner}.
notify-bot-started = 🟢 Vitrina {$version} đã khởi động ({$mode}).
notify-bot-stopping = 🔴 Vitrina {$version} đang dừng ({$mode}).
bot-mode-polling = long polling
bot-mode-leader = long polling với khóa leader
bot-mode-webhook = webhook

## Commands (setMyCommands)

cmd-start = Bắt đầu lại
cmd-menu = Menu chính
cmd-catalog = Xem danh mục
cmd-cabinet = Trang cá nhân
cmd-language = Đổi ngôn ngữ
cmd-help = Trợ giúp
cmd-policy = Chính sách sử dụng
cmd-cancel = Hủy thao tác hiện tại
cmd-moderate = Kiểm duyệt tin đăng

## Reply buttons (matched by text in every locale: see Button)

btn-catalog = 🗂 Danh mục
btn-cabinet = 👤 Trang cá nhân
btn-language = 🌐 Ngôn ngữ
btn-help = ❓ Trợ giúp
btn-moderation = 🛡 Kiểm duyệt ({$count})
btn-become-partner = 🧑‍💼 Trở thành đối tác
btn-main-menu = ⬅️ Menu chính
btn-add-card = ➕ Thêm tin đăng
btn-my-cards = 📋 Tin đăng của tôi
btn-back = ⬅️ Quay lại
btn-cancel = ❌ Hủy
btn-skip = ⏭ Bỏ qua
btn-photos-done = ✅ Xong ({$count}/6)
btn-remove-last-photo = 🗑 Xóa ảnh cuối
btn-keep = ✅ Giữ nguyên

## Inline buttons

btn-accept-policy = ✅ Đồng ý
btn-read-policy = 📜 Đọc chính sách
btn-change-city = 🏙 Đổi thành phố
btn-all-subcategories = Tất cả
btn-page-back = ⬅️ Trước
btn-page-forward = Tiếp ➡️
btn-refresh = 🔄 Làm mới
btn-page-counter = {$page}/{$pages}
page-first = Đây là trang đầu tiên.
page-last = Đây là trang cuối cùng.
btn-view-card = 🔎 {$title}
btn-hide = 👁 Ẩn
btn-show = 👁 Hiện
btn-edit-resubmit = ✏️ Sửa và gửi lại
btn-delete = 🗑 Xóa
btn-delete-confirm = ✅ Có, xóa
btn-delete-cancel = ↩️ Hủy
btn-back-to-list = ↩️ Về danh sách
btn-back-to-categories = ↩️ Về loại hình
btn-submit = ✅ Gửi kiểm duyệt
btn-edit = ✏️ Chỉnh sửa
btn-approve = ✅ Duyệt
btn-reject = ❌ Từ chối
btn-mod-skip = ⏭ Bỏ qua
btn-mod-finish = ⏹ Kết thúc
btn-review = 🔍 Xem xét
btn-map = 🗺 Bản đồ
btn-reason-incomplete = Thiếu thông tin
btn-reason-inappropriate = Nội dung không phù hợp
btn-reason-bad-photo = Ảnh kém
btn-reason-wrong-category = Sai loại hình
btn-reason-other = Lý do khác…
btn-draft-continue = ▶️ Tiếp tục
btn-draft-restart = 🔄 Bắt đầu lại

## Validation errors (min and max count characters or photos)

validation-required = Đây là trường bắt buộc.
validation-too-short = Quá ngắn: cần ít nhất {$min} ký tự.
validation-too-long = Quá dài: tối đa {$max} ký tự.
validation-contact-format = Hãy gửi số điện thoại (từ 7 đến 15 chữ số), @username Telegram hoặc đường link bắt đầu bằng http:// hoặc https://.
validation-url-format = Hãy gửi đường link bắt đầu bằng http:// hoặc https://.
validation-too-many-photos = Bạn chỉ có thể thêm tối đa {$max} ảnh.
validation-reason-too-short = Lý do quá ngắn: cần ít nhất {$min} ký tự.
validation-reason-too-long = Lý do quá dài: tối đa {$max} ký tự.

## Card statuses

status-draft = 📝 Bản nháp
status-pending = ⏳ Đang chờ kiểm duyệt
status-published = ✅ Đã đăng
status-rejected = ❌ Bị từ chối
status-archived = 🙈 Đã ẩn
status-deleted = 🗑 Đã xóa

## Rejection reasons, as the partner reads them

reject-reason-incomplete = Tin đăng chưa đầy đủ: còn thiếu thông tin quan trọng.
reject-reason-inappropriate = Nội dung vi phạm chính sách sử dụng.
reject-reason-bad-photo = Ảnh chất lượng kém hoặc không thể hiện địa điểm.
reject-reason-wrong-category = Tin đăng nằm sai loại hình.
reject-reason-other = Lý do khác.

## Cities

city-nha-trang = Nha Trang
city-da-nang = Đà Nẵng
city-ho-chi-minh-city = TP. Hồ Chí Minh
city-phu-quoc = Phú Quốc

## Areas

area-nha-trang-centre = Trung tâm
area-nha-trang-north = Phía Bắc
area-nha-trang-south = Phía Nam
area-da-nang-centre = Trung tâm
area-da-nang-coast = Ven biển
area-da-nang-outskirts = Ngoại ô
area-ho-chi-minh-city-centre = Trung tâm
area-ho-chi-minh-city-district-1 = Quận 1
area-ho-chi-minh-city-district-2 = Quận 2
area-phu-quoc-duong-dong = Dương Đông
area-phu-quoc-bai-sao = Bãi Sao
area-phu-quoc-ong-lang = Ông Lang

## Categories

category-restaurants = 🍽 Nhà hàng
category-spa = 💆 Spa
category-transport = 🛵 Di chuyển và thuê xe
category-hotels = 🏨 Khách sạn
category-shops = 🛍 Cửa hàng và dịch vụ
category-tours = 🏝 Tour du lịch

## Subcategories

subcategory-restaurants-asian = Món Á
subcategory-restaurants-european = Món Âu
subcategory-restaurants-street-food = Ẩm thực đường phố
subcategory-restaurants-vegetarian = Món chay
subcategory-spa-massage = Mát-xa
subcategory-spa-complex = Tổ hợp spa
subcategory-transport-motorbike = Xe máy
subcategory-transport-car = Ô tô
subcategory-transport-bicycle = Xe đạp
subcategory-hotels-hotel = Khách sạn
subcategory-hotels-guesthouse = Nhà nghỉ
subcategory-hotels-apartments = Căn hộ
subcategory-tours-snorkel = Lặn ngắm san hô và lặn biển
subcategory-tours-sea = Tour biển
subcategory-tours-land = Tour trên bộ

## web cabinet
web-cabinet-offer = Quản lý thẻ trên trang web sẽ tiện hơn: hãy mở trang quản lý web.
btn-web-cabinet = 🖥 Trang quản lý web
web-title = Trang quản lý Vitrina
web-loading = Đang tải…
web-open-in-telegram = Hãy mở trang này từ bot trong Telegram: nút “🖥 Trang quản lý web”.
web-unauthorized = Telegram chưa xác nhận bạn là ai. Hãy đóng trang và mở lại từ bot.
web-unavailable = Dịch vụ tạm thời không khả dụng. Vui lòng thử lại sau một phút.
web-not-found = Không tìm thấy.
web-conflict = Thẻ đã thay đổi trong lúc đó. Hãy tải lại trang.
web-bad-request = Không hiểu được yêu cầu. Hãy tải lại trang.
web-form-invalid = Vui lòng sửa các trường được đánh dấu.
web-policy-needed = Trước tiên hãy chấp nhận chính sách sử dụng trong bot (/start).
web-not-partner = Bạn chưa là đối tác.
web-photo-refused = Không tải được ảnh này lên. Hãy gửi ảnh JPEG hoặc PNG tối đa 10 MB.
web-tab-cards = 📋 Thẻ của tôi
web-tab-moderation = 🛡 Kiểm duyệt
web-filter-all = Tất cả
web-add-card = ➕ Thêm thẻ
web-become-partner = 🧑‍💼 Trở thành đối tác
web-partner-intro = Đối tác đưa địa điểm của mình vào danh mục Vitrina. Hãy trở thành đối tác để thêm thẻ đầu tiên.
web-field-city = Thành phố
web-field-area = Khu vực
web-field-category = Danh mục
web-field-subcategory = Danh mục con
web-field-title = Tên
web-field-description = Mô tả
web-field-contact = Liên hệ
web-field-address = Địa chỉ
web-field-map-link = Liên kết bản đồ
web-field-photos = Ảnh
web-field-discount = Giảm giá
web-field-optional = không bắt buộc
web-choose = — chọn —
web-none = — không —
web-hint-contact = Số điện thoại, @username Telegram hoặc một liên kết
web-preview = Xem trước
web-submit = ✅ Gửi kiểm duyệt
web-resubmit = ✅ Gửi kiểm duyệt lại
web-edit-resubmit = ✏️ Sửa và gửi lại
web-cancel = ↩️ Hủy
web-back = ⬅️ Quay lại
web-hide = 👁 Ẩn
web-show = 👁 Hiện
web-delete = 🗑 Xóa
web-delete-yes = ✅ Có, xóa
web-map = 🗺 Mở bản đồ
web-add-photo = 📷 Thêm ảnh
web-remove-photo = Bỏ
web-skip = ⏭ Bỏ qua
web-reject-custom = Lý do khác (10–500 ký tự)
web-reject-send = ❌ Từ chối với lý do này
web-queue-done = Không còn gì chờ kiểm duyệt.

## Links, search and inline mode

cmd-search = Tìm theo từ khóa
link-card-unknown = 🤷 Thẻ này không có trong danh mục: thẻ đã bị gỡ hoặc liên kết sai. Đây là menu.
btn-share = 📤 Chia sẻ
btn-share-to-chat = ↗️ Gửi vào cuộc trò chuyện
share-card-link = 📤 Liên kết đến “{$title}” — mở thẻ trong bot:
share-qr-caption = 🔳 Mã QR của “{$title}”: hãy in ra để dán ở cửa hoặc quầy.
btn-search = 🔎 Tìm kiếm
btn-search-again = 🔎 Tìm lại
btn-back-to-results = ↩️ Về kết quả
btn-open-in-bot = 🗂 Mở trong bot
search-ask = 🔎 Nhập từ khóa để tìm trong tên và mô tả của các thẻ.
search-no-words = Không có từ nào để tìm. Ví dụ: cà phê, massage, thuê xe.
search-expired = Lượt tìm này đã cũ. Hãy tìm lại.
search-nothing = 🔎 Không tìm thấy gì cho “{$words}”. Hãy thử từ khác.
search-results = 🔎 “{$words}”: tìm thấy {$count} · trang {$page}/{$pages}

## Places and editing published cards
btn-share-location = 📍 Gửi vị trí của tôi
btn-share-phone = 📱 Chia sẻ số điện thoại
btn-send-place = 📍 Gửi dưới dạng địa điểm
btn-nearby = 📍 Gần tôi
btn-nearby-card = { $title } · { $distance }
places-nearby-ask = 📍 Nhấn “Gửi vị trí của tôi” bên dưới, tôi sẽ liệt kê các địa điểm gần bạn nhất.
places-nearby-thanks = 📍 Cảm ơn bạn! Đây là những nơi gần bạn.
places-nearby-list = 📍 Địa điểm gần bạn — trang { $page }/{ $pages }
places-nearby-empty = Chưa có địa điểm đã đăng nào có vị trí trên bản đồ.
wizard-map-link-pin-hint = Bạn cũng có thể gửi một vị trí (📎 → Vị trí, hoặc một địa điểm chọn trên bản đồ) hoặc nhấn “📍 Gửi vị trí của tôi”.
wizard-contact-share-hint = Hoặc nhấn “📱 Chia sẻ số điện thoại”.
btn-edit-card = ✏️ Sửa
btn-edit-confirm = ✅ Có, sửa
card-edit-published-confirm = ✏️ Thẻ đã sửa sẽ được kiểm duyệt lại. Từ lúc bạn gửi bản sửa cho đến khi được duyệt, thẻ bị ẩn khỏi danh mục. Sửa thẻ?

## Takedown, featured cards and deleting one's data

cmd-forget-me = Xóa dữ liệu của tôi
btn-admin-feature = ⭐ Ghim nổi bật
btn-admin-unfeature = ☆ Bỏ ghim
btn-admin-take-down = 🚫 Gỡ khỏi danh mục
admin-take-down-choose-reason = Vì sao gỡ “{$title}” khỏi danh mục? Đối tác sẽ được thông báo. Chọn lý do:
admin-card-taken-down = 🚫 Đã gỡ khỏi danh mục: đối tác đã nhận được lý do.
admin-card-featured = ⭐ Tin đăng đã được ghim: tin hiện đầu tiên trong danh sách.
admin-card-unfeatured = ☆ Tin đăng không còn được ghim.
admin-card-not-public = Tin đăng này không còn trong danh mục.
notify-card-taken-down =
    🚫 Quản trị viên đã gỡ tin đăng “{$title}” của bạn khỏi danh mục.
    Lý do: {$reason}
    Bạn có thể sửa tin trong trang cá nhân và gửi lại.
forget-me-ask =
    🗑 Xóa mọi dữ liệu bot lưu về bạn?
    Hồ sơ (ngôn ngữ, thành phố, sự đồng ý), hội thoại và tất cả tin đăng cùng ảnh sẽ bị xóa vĩnh viễn. Nhật ký kiểm duyệt giữ các bản ghi nhưng không có ID của bạn.
btn-forget-me-yes = 🗑 Có, xóa
btn-forget-me-no = ↩️ Không, giữ lại
forget-me-kept = ↩️ Không có gì bị xóa.
forget-me-done = ✅ Dữ liệu của bạn đã được xóa{ $cards ->
    [0] .
   *[other] , cùng {$cards} tin đăng.
}
forget-me-goodbye = Tạm biệt! Gửi /start để bắt đầu lại.
