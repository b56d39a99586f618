### Vitrina: 한국어.
### Every message exists in ru, en, vi and ko with the same arguments (the tests check it).
### Plain text only: no HTML markup and no less-than, greater-than or ampersand characters.

## Start, language, policy

language-picker = 🌐 언어를 선택해 주세요:
language-changed = ✅ 언어가 한국어로 바뀌었어요.
welcome =
    👋 Vitrina에 오신 걸 환영해요! 베트남 여러 도시의 가게와 서비스를 모아 둔 카탈로그예요.

    시작하기 전에 이용 정책에 동의해 주세요.
    • 카드는 검토자가 확인한 뒤에만 카탈로그에 올라가요.
    • 서비스에 꼭 필요한 정보만 저장해요: 텔레그램 ID, 언어, 도시, 직접 등록한 카드.
    • 허위이거나 불쾌하거나 불법적인 내용은 삭제돼요.

    계속하려면 ‘동의’를 누르거나, 먼저 정책 전문을 읽어 보세요.
policy-text =
    📜 Vitrina 이용 정책

    1. 카드. 카드는 내가 대표하는 실제 업체나 서비스를 소개해요. 내용, 사진, 주소, 연락처는 사실이어야 하고, 게시할 권리가 있어야 해요. 불법 상품과 서비스, 성인용 콘텐츠, 모욕과 혐오 표현, 사기, 스팸, 허락받지 않은 타인의 사진과 타인의 연락처는 올릴 수 없어요.

    2. 검토. 새로 만들거나 수정한 카드는 카탈로그에 나오기 전에 검토자가 모두 확인해요. 카드는 사유와 함께 반려될 수 있고, 고쳐서 다시 제출할 수 있어요. 게시된 카드라도 정책을 어기면 숨겨지거나 삭제될 수 있어요.

    3. 저장하는 정보. 텔레그램이 제공하는 텔레그램 ID, 이름과 사용자명, 선택한 언어와 도시, 이 정책에 동의한 날짜, 사진을 포함한 내 카드, 그리고 카드에 대한 검토 결과를 저장해요. 이 정보는 카탈로그 운영에만 쓰고, 판매하거나 다른 곳에 제공하지 않아요.

    4. 삭제. 마이페이지에서 언제든지 카드를 숨기거나 삭제할 수 있어요. 삭제한 카드는 다시 보이지 않고, 검토 기록에만 남아요. 봇이 보관하는 내 정보(프로필, 언어와 도시, 대화 상태, 모든 카드)를 모두 지우려면 /forget_me 를 보내고 확인하세요. 검토 기록은 결정 내역을 남기지만 내 ID, 내 카드, 카드에 대해 적힌 사유는 남기지 않아요.

    5. 문의. 질문, 신고, 개인정보 삭제 요청은 카탈로그 관리자에게 보내 주세요(연락처는 봇 설명에 있어요).

    정책이 바뀌면 봇이 다시 동의를 요청해요.
policy-accepted = ✅ 감사해요! 이용 정책에 동의하셨어요.
bot-short-description = 베트남 도시의 장소와 서비스, 관리자가 확인한 정보: 식당, 스파, 오토바이, 호텔, 상점, 투어.
bot-description =
    🗂 Vitrina는 베트남 도시의 장소와 서비스 카탈로그입니다. 도시와 카테고리별로 둘러보거나 내 업체를 카드로 추가하세요. 모든 카드는 게시 전에 관리자가 확인합니다.
bot-description-contact = 관리자: { $contact }

## Main menu and general answers

main-menu = 🏠 메인 메뉴예요. 아래에서 메뉴를 선택해 주세요.
help =
    ❓ Vitrina 사용 방법

    🗂 카탈로그: 도시와 카테고리를 고르고 장소를 둘러보세요.
    👤 마이페이지: 내 업체를 카드로 등록하고 카드를 관리하세요.
    🌐 언어: 봇의 언어를 바꿔요.

    명령어:
    /start: 처음부터 시작
    /menu: 메인 메뉴
    /catalog: 카탈로그 보기
    /cabinet: 마이페이지
    /language: 언어 변경
    /policy: 이용 정책
    /cancel: 진행 중인 작업 취소
    /help: 이 도움말
help-admin = /moderate: 검토 대기열 (관리자용)
unknown-input = 🤔 죄송해요, 잘 이해하지 못했어요. 아래 메뉴 버튼을 쓰거나 /help 를 보내 주세요.
not-allowed = ⛔ 이 작업을 할 권한이 없어요.
not-found = 🔍 찾을 수 없어요. 이미 삭제되었을 수 있어요.
callback-outdated = ⌛ 오래된 버튼이에요. 메뉴를 다시 열어 주세요.
flood-slow-down = 🐢 메시지를 너무 빠르게 보내고 있습니다. 몇 초만 기다려 주세요. 그동안 보낸 내용은 읽히지 않습니다.
try-later = ⚠️ 일시적인 문제가 생겼어요. 잠시 후 다시 시도해 주세요.
cancel-nothing = 취소할 작업이 없어요.

## Personal cabinet

cabinet-not-partner =
    👤 마이페이지

    업체가 카탈로그에 직접 등록하는 곳이에요. 파트너가 되면 음식점, 스파, 렌탈, 숙소, 상점, 투어 카드를 만들 수 있어요. 검토자가 카드를 하나씩 확인한 뒤 누구나 카탈로그에서 찾을 수 있게 돼요.
cabinet-partner = 👤 마이페이지예요. 새 카드를 추가하거나 등록한 카드를 관리해 보세요.
cabinet-unavailable = 🚧 마이페이지는 아직 준비 중이에요. 나중에 다시 들러 주세요.
partner-created = 🎉 이제 파트너가 되셨어요! 첫 카드를 만들어 볼까요?

## Add-card wizard

wizard-city = 1/10단계. 🏙 업체가 있는 도시를 선택해 주세요:
wizard-area = 1/10단계. 📍 지역을 선택하거나 ‘건너뛰기’를 눌러 주세요:
wizard-category = 2/10단계. 🗂 카테고리를 선택해 주세요:
wizard-subcategory = 2/10단계. 세부 카테고리를 선택하거나 ‘건너뛰기’를 눌러 주세요:
wizard-title = 3/10단계. ✏️ 카드에 표시할 업체 이름을 보내 주세요(3~100자).
wizard-description = 4/10단계. 📝 설명을 보내 주세요: 제공하는 서비스, 영업시간, 가격 등(최대 1000자). 또는 ‘건너뛰기’를 눌러 주세요.
wizard-contact = 5/10단계. 📞 연락처를 보내 주세요: 전화번호, 텔레그램 @username 또는 링크(최대 200자).
wizard-address = 6/10단계. 🏠 주소를 보내 주세요(5~300자). 또는 ‘건너뛰기’를 눌러 주세요.
wizard-map-link = 7/10단계. 🗺 http:// 또는 https:// 로 시작하는 지도 링크를 보내 주세요(최대 300자). 또는 ‘건너뛰기’를 눌러 주세요.
wizard-photos = 8/10단계. 📷 장소 사진을 최대 {$max}장까지 보내 주세요. 추가됨: {$count}/{$max}장. 다 보냈으면 ‘완료’를, 사진이 없으면 ‘건너뛰기’를 눌러 주세요.
wizard-photo-added = ✅ 사진 {$count}/{$max}장을 추가했어요.
wizard-photo-removed = 🗑 마지막 사진을 지웠어요. 남은 사진: {$count}장.
wizard-discount = 9/10단계. 🎁 Vitrina 사용자를 위한 할인이나 특별 혜택이 있나요? 내용을 적어 주세요(최대 100자). 또는 ‘건너뛰기’를 눌러 주세요.
wizard-preview = 10/10단계. 👀 카드가 이렇게 보여요. 확인한 뒤 검토를 요청해 주세요.
wizard-cancelled = ❌ 카드 만들기를 취소했어요.
wizard-draft-resume = 📝 작성 중인 카드가 있어요. 이어서 작성할까요, 아니면 처음부터 다시 시작할까요?
wizard-paused = 📝 작성 중인 카드는 24시간 동안 보관돼요. 이어서 작성하려면: { btn-cabinet } → { btn-add-card }.
wizard-text-expected = ✍️ 이 단계에서는 텍스트 메시지로 답해 주세요.
wizard-use-buttons = 👆 이 단계에서는 위 메시지의 버튼으로 선택해 주세요.
wizard-photo-expected = 📷 사진을 보내 주세요(사진 또는 이미지 파일). 아니면 아래 버튼을 이용해 주세요.
wizard-submitted = 🙌 감사해요! 카드를 검토 요청했어요. 검토가 끝나면 바로 알려 드릴게요.

## My cards and the card view

my-cards-title = 📋 내 카드: {$count}개 · {$page}/{$pages} 페이지
my-cards-empty = 아직 카드가 없어요. 첫 카드를 추가해 보세요!
card-status-line = 상태: {$status}
card-rejection-reason = ❗ 반려 사유: {$reason}
card-field-area = 📍 지역: {$area}
card-field-address = 🏠 주소: {$address}
card-field-contact = 📞 연락처: {$contact}
card-field-discount = 🎁 할인: {$discount}
card-hidden = 🙈 카드를 카탈로그에서 숨겼어요.
card-shown = 👁 카드가 다시 카탈로그에 보여요.
card-delete-confirm = 🗑 이 카드를 삭제할까요? 삭제하면 되돌릴 수 없어요.
card-deleted = 🗑 카드를 삭제했어요.

## Catalog

catalog-choose-city = 🏙 도시를 선택해 주세요:
catalog-city-chosen = 📍 선택한 도시: {$city}. 기억해 둘게요.
catalog-choose-category = 🗂 {$city}: 카테고리를 선택해 주세요:
catalog-category-count = {$name} ({$count})
catalog-choose-subcategory = 🗂 {$city} · {$category}: 세부 카테고리를 선택해 주세요:
catalog-list = 📍 {$city} · {$category} · {$page}/{$pages} 페이지
catalog-empty = 아직 등록된 곳이 없어요. 다른 카테고리나 도시를 골라 보세요.

## Moderation

moderation-queue = 🛡 검토 대기 중인 카드: {$left}개.
moderation-submitter = 👤 보낸 사람: {$partner}
moderation-resubmitted = 🔁 반려된 뒤 다시 제출된 카드예요.
moderation-empty = ✨ 검토를 기다리는 카드가 없어요.
moderation-finished = ⏹ 검토를 마쳤어요.
moderation-finished-left = ⏹ 검토를 마쳤어요. 아직 기다리는 카드: {$left}개.
moderation-approved = ✅ 승인했어요. 카드가 게시되었어요.
moderation-rejected = ❌ 반려했어요. 파트너에게 사유를 알렸어요.
moderation-choose-reason = 카드를 반려하는 이유를 선택해 주세요:
moderation-enter-reason = ✍️ 파트너에게 보낼 사유를 적어 주세요(10~500자):
moderation-already-decided = ℹ️ 다른 관리자가 이미 이 카드를 검토했어요.
moderation-unavailable = 🚧 검토 기능이 꺼져 있어요.

## Messages to another person: written in the recipient's language

notify-card-published = 🎉 카드가 카탈로그에 게시되었어요: “{$title}”
notify-card-rejected =
    ❌ 카드가 반려되었어요: “{$title}”
    사유: {$reason}
    마이페이지에서 수정한 뒤 다시 제출할 수 있어요.
notify-new-submission = 🆕 검토할 새 카드가 있어요: {$partner} 님의 “{$title}”.
notify-bot-started = 🟢 봇이 시작되었어요: Vitrina {$version} ({$mode})
notify-bot-stopping = 🔴 봇이 종료되고 있어요: Vitrina {$version} ({$mode})
bot-mode-polling = 롱 폴링
bot-mode-leader = 리더 잠금을 쓰는 롱 폴링
bot-mode-webhook = 웹훅

## Commands (setMyCommands)

cmd-start = 처음부터 시작
cmd-menu = 메인 메뉴
cmd-catalog = 카탈로그 보기
cmd-cabinet = 마이페이지
cmd-language = 언어 변경
cmd-help = 도움말
cmd-policy = 이용 정책
cmd-cancel = 진행 중인 작업 취소
cmd-moderate = 카드 검토

## Reply buttons (matched by text in every locale: see Button)

btn-catalog = 🗂 카탈로그
btn-cabinet = 👤 마이페이지
btn-language = 🌐 언어
btn-help = ❓ 도움말
btn-moderation = 🛡 검토 ({$count})
btn-become-partner = 🧑‍💼 파트너 되기
btn-main-menu = ⬅️ 메인 메뉴
btn-add-card = ➕ 카드 추가
btn-my-cards = 📋 내 카드
btn-back = ⬅️ 뒤로
btn-cancel = ❌ 취소
btn-skip = ⏭ 건너뛰기
btn-photos-done = ✅ 완료 ({$count}/6)
btn-remove-last-photo = 🗑 마지막 사진 삭제
btn-keep = ✅ 그대로 두기

## Inline buttons

btn-accept-policy = ✅ 동의
btn-read-policy = 📜 정책 읽기
btn-change-city = 🏙 도시 변경
btn-all-subcategories = 전체
btn-page-back = ⬅️ 이전
btn-page-forward = 다음 ➡️
btn-refresh = 🔄 새로고침
btn-page-counter = {$page}/{$pages}
page-first = 첫 페이지예요.
page-last = 마지막 페이지예요.
btn-view-card = 🔎 {$title}
btn-hide = 👁 숨기기
btn-show = 👁 보이기
btn-edit-resubmit = ✏️ 수정 후 다시 제출
btn-delete = 🗑 삭제
btn-delete-confirm = ✅ 네, 삭제할게요
btn-delete-cancel = ↩️ 취소
btn-back-to-list = ↩️ 목록으로
btn-back-to-categories = ↩️ 카테고리로
btn-submit = ✅ 검토 요청
btn-edit = ✏️ 수정
btn-approve = ✅ 승인
btn-reject = ❌ 반려
btn-mod-skip = ⏭ 건너뛰기
btn-mod-finish = ⏹ 마치기
btn-review = 🔍 검토하기
btn-map = 🗺 지도
btn-reason-incomplete = 정보 부족
btn-reason-inappropriate = 부적절한 내용
btn-reason-bad-photo = 사진 불량
btn-reason-wrong-category = 잘못된 카테고리
btn-reason-other = 기타…
btn-draft-continue = ▶️ 이어서 작성
btn-draft-restart = 🔄 처음부터

## Validation errors (min and max count characters or photos)

validation-required = 꼭 입력해야 하는 항목이에요.
validation-too-short = 너무 짧아요. {$min}자 이상 입력해 주세요.
validation-too-long = 너무 길어요. {$max}자 이하로 입력해 주세요.
validation-contact-format = 전화번호(숫자 7~15자리), 텔레그램 @username 또는 http:// 나 https:// 로 시작하는 링크를 보내 주세요.
validation-url-format = http:// 또는 https:// 로 시작하는 링크를 보내 주세요.
validation-too-many-photos = 사진은 최대 {$max}장까지 추가할 수 있어요.
validation-reason-too-short = 사유가 너무 짧아요. {$min}자 이상 입력해 주세요.
validation-reason-too-long = 사유가 너무 길어요. {$max}자 이하로 입력해 주세요.

## Card statuses

status-draft = 📝 작성 중
status-pending = ⏳ 검토 대기
status-published = ✅ 게시됨
status-rejected = ❌ 반려됨
status-archived = 🙈 숨김
status-deleted = 🗑 삭제됨

## Rejection reasons, as the partner reads them

reject-reason-incomplete = 카드 정보가 부족해요. 중요한 내용이 빠져 있어요.
reject-reason-inappropriate = 내용이 이용 정책에 어긋나요.
reject-reason-bad-photo = 사진 품질이 낮거나 장소가 잘 보이지 않아요.
reject-reason-wrong-category = 카테고리가 맞지 않아요.
reject-reason-other = 기타 사유예요.

## Cities

city-nha-trang = 나트랑
city-da-nang = 다낭
city-ho-chi-minh-city = 호치민
city-phu-quoc = 푸꾸옥

## Areas

area-nha-trang-centre = 시내 중심
area-nha-trang-north = 북부
area-nha-trang-south = 남부
area-da-nang-centre = 시내 중심
area-da-nang-coast = 해변
area-da-nang-outskirts = 외곽
area-ho-chi-minh-city-centre = 시내 중심
area-ho-chi-minh-city-district-1 = 1군
area-ho-chi-minh-city-district-2 = 2군
area-phu-quoc-duong-dong = 즈엉동
area-phu-quoc-bai-sao = 바이사오
area-phu-quoc-ong-lang = 옹랑

## Categories

category-restaurants = 🍽 음식점
category-spa = 💆 스파
category-transport = 🛵 교통 및 바이크 렌탈
category-hotels = 🏨 숙소
category-shops = 🛍 상점 및 서비스
category-tours = 🏝 투어

## Subcategories

subcategory-restaurants-asian = 아시아 요리
subcategory-restaurants-european = 유럽 요리
subcategory-restaurants-street-food = 길거리 음식
subcategory-restaurants-vegetarian = 채식
subcategory-spa-massage = 마사지
subcategory-spa-complex = 종합 스파
subcategory-transport-motorbike = 오토바이
subcategory-transport-car = 자동차
subcategory-transport-bicycle = 자전거
subcategory-hotels-hotel = 호텔
subcategory-hotels-guesthouse = 게스트하우스
subcategory-hotels-apartments = 레지던스
subcategory-tours-snorkel = 스노클링 및 다이빙
subcategory-tours-sea = 바다 투어
subcategory-tours-land = 육상 투어

## web cabinet
web-cabinet-offer = 카드는 웹 페이지에서 관리하는 것이 더 편리합니다: 웹 관리 페이지를 여세요.
btn-web-cabinet = 🖥 웹 관리 페이지
web-title = Vitrina 관리 페이지
web-loading = 불러오는 중…
web-open-in-telegram = 텔레그램의 봇에서 “🖥 웹 관리 페이지” 버튼으로 이 페이지를 여세요.
web-unauthorized = 텔레그램이 사용자를 확인하지 못했습니다. 페이지를 닫고 봇에서 다시 여세요.
web-unavailable = 서비스를 잠시 사용할 수 없습니다. 1분 후에 다시 시도하세요.
web-not-found = 찾을 수 없습니다.
web-conflict = 그 사이에 카드가 변경되었습니다. 페이지를 새로 고치세요.
web-bad-request = 요청을 이해할 수 없습니다. 페이지를 새로 고치세요.
web-form-invalid = 표시된 항목을 고쳐 주세요.
web-policy-needed = 먼저 봇에서 이용 정책에 동의해 주세요 (/start).
web-not-partner = 아직 파트너가 아닙니다.
web-photo-refused = 이 사진을 올릴 수 없습니다. 10MB 이하의 JPEG 또는 PNG 이미지를 보내 주세요.
web-tab-cards = 📋 내 카드
web-tab-moderation = 🛡 검토
web-filter-all = 전체
web-add-card = ➕ 카드 추가
web-become-partner = 🧑‍💼 파트너 되기
web-partner-intro = 파트너는 자신의 업체를 Vitrina 카탈로그에 등록합니다. 파트너가 되어 첫 카드를 추가하세요.
web-field-city = 도시
web-field-area = 지역
web-field-category = 카테고리
web-field-subcategory = 하위 카테고리
web-field-title = 이름
web-field-description = 설명
web-field-contact = 연락처
web-field-address = 주소
web-field-map-link = 지도 링크
web-field-photos = 사진
web-field-discount = 할인
web-field-optional = 선택 사항
web-choose = — 선택 —
web-none = — 없음 —
web-hint-contact = 전화번호, 텔레그램 @username 또는 링크
web-preview = 미리 보기
web-submit = ✅ 검토 요청
web-resubmit = ✅ 다시 검토 요청
web-edit-resubmit = ✏️ 수정 후 다시 제출
web-cancel = ↩️ 취소
web-back = ⬅️ 뒤로
web-hide = 👁 숨기기
web-show = 👁 보이기
web-delete = 🗑 삭제
web-delete-yes = ✅ 네, 삭제합니다
web-map = 🗺 지도 열기
web-add-photo = 📷 사진 추가
web-remove-photo = 빼기
web-skip = ⏭ 건너뛰기
web-reject-custom = 다른 사유 (10–500자)
web-reject-send = ❌ 이 사유로 거절
web-queue-done = 더 이상 검토를 기다리는 카드가 없습니다.

## Links, search and inline mode

cmd-search = 단어로 검색
link-card-unknown = 🤷 카탈로그에 없는 카드예요. 게시가 내려졌거나 링크가 잘못되었어요. 메뉴로 돌아갈게요.
btn-share = 📤 공유
btn-share-to-chat = ↗️ 채팅으로 보내기
share-card-link = 📤 “{$title}” 링크예요. 봇에서 카드를 열어요:
share-qr-caption = 🔳 “{$title}”의 QR 코드예요. 출입문이나 쇼윈도에 붙이도록 인쇄하세요.
btn-search = 🔎 검색
btn-search-again = 🔎 새로 검색
btn-back-to-results = ↩️ 검색 결과로
btn-open-in-bot = 🗂 봇에서 열기
search-ask = 🔎 카드의 이름과 설명에서 찾을 단어를 입력하세요.
search-no-words = 검색할 단어가 없어요. 예: 커피, 마사지, 렌트.
search-expired = 오래된 검색이에요. 새로 검색하세요.
search-nothing = 🔎 “{$words}”에 대한 결과가 없어요. 다른 단어로 찾아보세요.
search-results = 🔎 “{$words}”: {$count}개 찾음 · {$page}/{$pages}쪽

## Places and editing published cards
btn-share-location = 📍 내 위치 보내기
btn-share-phone = 📱 내 전화번호 공유
btn-send-place = 📍 장소로 보내기
btn-nearby = 📍 내 주변
btn-nearby-card = { $title } · { $distance }
places-nearby-ask = 📍 아래의 ‘내 위치 보내기’를 누르면 가장 가까운 장소를 보여 드립니다.
places-nearby-thanks = 📍 감사합니다! 주변 장소입니다.
places-nearby-list = 📍 내 주변 장소 — { $page }/{ $pages } 페이지
places-nearby-empty = 아직 지도 위치가 있는 게시된 장소가 없습니다.
wizard-map-link-pin-hint = 위치 핀(📎 → 위치, 또는 지도에서 고른 장소)을 보내거나 ‘📍 내 위치 보내기’를 눌러도 됩니다.
wizard-contact-share-hint = 또는 ‘📱 내 전화번호 공유’를 눌러 주세요.
btn-edit-card = ✏️ 수정
btn-edit-confirm = ✅ 네, 수정합니다
card-edit-published-confirm = ✏️ 수정한 카드는 관리자가 다시 검토합니다. 수정을 제출한 때부터 승인될 때까지 카드는 카탈로그에서 숨겨집니다. 수정하시겠습니까?

## Takedown, featured cards and deleting one's data

cmd-forget-me = 내 정보 삭제
btn-admin-feature = ⭐ 추천
btn-admin-unfeature = ☆ 추천 해제
btn-admin-take-down = 🚫 게시 중단
admin-take-down-choose-reason = “{$title}” 카드의 게시를 중단하는 이유는 무엇인가요? 파트너에게 알려 드려요. 사유를 선택하세요:
admin-card-taken-down = 🚫 게시를 중단했어요. 파트너에게 사유를 알렸어요.
admin-card-featured = ⭐ 추천 카드가 되었어요. 목록 맨 앞에 보여요.
admin-card-unfeatured = ☆ 더 이상 추천 카드가 아니에요.
admin-card-not-public = 이 카드는 더 이상 카탈로그에 없어요.
notify-card-taken-down =
    🚫 관리자가 “{$title}” 카드의 게시를 중단했어요.
    사유: {$reason}
    마이페이지에서 수정한 뒤 다시 제출할 수 있어요.
forget-me-ask =
    🗑 봇이 보관하는 내 정보를 모두 삭제할까요?
    프로필(언어, 도시, 동의), 대화 상태, 모든 카드와 사진이 영구히 삭제돼요. 검토 기록은 내 ID 없이 남아요.
btn-forget-me-yes = 🗑 네, 삭제할게요
btn-forget-me-no = ↩️ 아니요, 유지할게요
forget-me-kept = ↩️ 아무것도 삭제하지 않았어요.
forget-me-done = ✅ 내 정보를 삭제했어요{ $cards ->
    [0] .
   *[other] . 삭제한 카드: {$cards}개.
}
forget-me-goodbye = 안녕히 가세요! 다시 시작하려면 /start 를 보내세요.
