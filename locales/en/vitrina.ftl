### Vitrina: English.
### Every message exists in ru, en, vi and ko with the same arguments (the tests check it).
### Plain text only: no HTML markup and no less-than, greater-than or ampersand characters.

## Start, language, policy

language-picker = 🌐 Choose your language:
language-changed = ✅ The language is now English.
welcome =
    👋 Welcome to Vitrina, a catalog of places and services in the cities of Vietnam.

    Before you start, please accept the usage policy:
    • cards appear in the catalog only after a moderator has checked them;
    • we keep only what the service needs: your Telegram ID, language, city and the cards you add;
    • misleading, offensive or illegal content is removed.

    Press “Accept” to continue, or read the full policy first.
policy-text =
    📜 Vitrina usage policy

    1. Cards. A card describes a real business or service that you represent. Its text, photos, address and contact must be accurate, and you must have the right to publish them. Not allowed: illegal goods and services, adult content, insults and hate speech, fraud, spam, other people's photos without permission and other people's contact details.

    2. Moderation. A moderator checks every new or edited card before it appears in the catalog. A card can be rejected with a reason; you can fix it and submit it again. Published cards that break the rules can be hidden or removed.

    3. Data we store. Your Telegram ID, name and username as Telegram provides them, your language and city, the date you accepted this policy, your cards with their photos, and the moderators' decisions about them. We use them only to run the catalog and never sell or share them.

    4. Deleting. You can hide or delete your cards at any time in the personal cabinet. A deleted card is never shown again; a record of it stays in the moderation log. To delete everything the bot keeps about you — your profile, language and city, your dialog and all your cards — send /forget_me and confirm. The moderation log keeps its records of decisions, but without your ID, your cards or the reasons written about them.

    5. Contact. For questions, complaints or to have your data removed, write to the catalog administrators (their contacts are in the bot's description).

    When the policy changes, the bot will ask you to accept it again.
policy-accepted = ✅ Thank you! The policy is accepted.
bot-short-description = Places and services in the cities of Vietnam, checked by moderators: restaurants, spas, bikes, hotels, shops and tours.
bot-description =
    🗂 Vitrina is a catalog of places and services in the cities of Vietnam. Browse by city and category, or add your own business as a card: moderators check every card before it appears.
bot-description-contact = Administrators: { $contact }

## Main menu and general answers

main-menu = 🏠 Main menu. Choose a section below.
help =
    ❓ How Vitrina works

    🗂 Catalog: pick a city and a category, then browse the places.
    👤 Personal cabinet: add your business as a card and manage your cards.
    🌐 Language: change the language of the bot.

    Commands:
    /start: start over
    /menu: main menu
    /catalog: browse the catalog
    /cabinet: personal cabinet
    /language: change the language
    /policy: usage policy
    /cancel: cancel the current action
    /help: this help
help-admin = /moderate: the moderation queue (for admins)
unknown-input = 🤔 Sorry, I didn't understand that. Use the menu buttons below or send /help.
not-allowed = ⛔ You are not allowed to do that.
not-found = 🔍 Not found: it may have been deleted.
callback-outdated = ⌛ This button is outdated. Please open the section again.
flood-slow-down = 🐢 You are sending messages too fast. Please wait a few seconds: what you send meanwhile is not read.
try-later = ⚠️ Something went wrong on our side. Please try again in a minute.
cancel-nothing = There is nothing to cancel.

## Personal cabinet

cabinet-not-partner =
    👤 Personal cabinet

    This is where businesses add themselves to the catalog. Become a partner to create cards for your restaurant, spa, rental, hotel, shop or tours. A moderator checks each card, and then everyone can find it in the catalog.
cabinet-partner = 👤 Personal cabinet. Add a new card or manage the ones you have.
cabinet-unavailable = 🚧 The personal cabinet is not available yet. Please check back later.
partner-created = 🎉 You are now a partner! Let's create your first card.

## Add-card wizard

wizard-city = Step 1 of 10. 🏙 Choose the city of your business:
wizard-area = Step 1 of 10. 📍 Choose the area, or press “Skip”:
wizard-category = Step 2 of 10. 🗂 Choose a category:
wizard-subcategory = Step 2 of 10. Choose a subcategory, or press “Skip”:
wizard-title = Step 3 of 10. ✏️ Send the name of your business for the card (3 to 100 characters).
wizard-description = Step 4 of 10. 📝 Send a description: what you offer, opening hours, prices (up to 1000 characters). Or press “Skip”.
wizard-contact = Step 5 of 10. 📞 Send a contact: a phone number, a Telegram @username or a link (up to 200 characters).
wizard-address = Step 6 of 10. 🏠 Send the address (5 to 300 characters), or press “Skip”.
wizard-map-link = Step 7 of 10. 🗺 Send a map link starting with http:// or https:// (up to 300 characters), or press “Skip”.
wizard-photos = Step 8 of 10. 📷 Send up to { $max ->
        [one] {$max} photo
       *[other] {$max} photos
    } of your place. Added: {$count} of {$max}. Press “Done” when you have finished, or “Skip”.
wizard-photo-added = ✅ Photo {$count} of {$max} added.
wizard-photo-removed = 🗑 The last photo was removed. Photos left: {$count}.
wizard-discount = Step 9 of 10. 🎁 Do you offer a discount or a special deal to Vitrina users? Describe it (up to 100 characters), or press “Skip”.
wizard-preview = Step 10 of 10. 👀 This is how your card will look. Check it and submit it for moderation.
wizard-cancelled = ❌ Card creation cancelled.
wizard-draft-resume = 📝 You have an unfinished card. Continue where you left off, or start over?
wizard-paused = 📝 Your card draft is kept for 24 hours. To continue: { btn-cabinet } → { btn-add-card }.
wizard-text-expected = ✍️ Please answer this step with a text message.
wizard-use-buttons = 👆 At this step, choose with the buttons of the message above.
wizard-photo-expected = 📷 Please send a photo (as a picture or as an image file), or use the buttons below.
wizard-submitted = 🙌 Thank you! Your card has been sent for moderation. We will let you know as soon as it has been checked.

## My cards and the card view

my-cards-title = 📋 My cards: {$count} · page {$page} of {$pages}
my-cards-empty = You have no cards yet. Add your first one!
card-status-line = Status: {$status}
card-rejection-reason = ❗ Rejection reason: {$reason}
card-field-area = 📍 Area: {$area}
card-field-address = 🏠 Address: {$address}
card-field-contact = 📞 Contact: {$contact}
card-field-discount = 🎁 Discount: {$discount}
card-hidden = 🙈 The card is hidden from the catalog.
card-shown = 👁 The card is back in the catalog.
card-delete-confirm = 🗑 Delete this card? This cannot be undone.
card-deleted = 🗑 The card has been deleted.

## Catalog

catalog-choose-city = 🏙 Choose a city:
catalog-city-chosen = 📍 Your city: {$city}. I will remember it.
catalog-choose-category = 🗂 {$city}: choose a category:
catalog-category-count = {$name} ({$count})
catalog-choose-subcategory = 🗂 {$city} · {$category}: choose a subcategory:
catalog-list = 📍 {$city} · {$category} · page {$page} of {$pages}
catalog-empty = Nothing here yet. Try another category or city.

## Moderation

moderation-queue = 🛡 Waiting for moderation: { $left ->
        [one] {$left} card
       *[other] {$left} cards
    }.
moderation-submitter = 👤 Submitted by: {$partner}
moderation-resubmitted = 🔁 Submitted again after a rejection.
moderation-empty = ✨ No cards are waiting for moderation.
moderation-finished = ⏹ Moderation finished.
moderation-finished-left = ⏹ Moderation finished. Still waiting: {$left}.
moderation-approved = ✅ Approved: the card is published.
moderation-rejected = ❌ Rejected: the partner has been told the reason.
moderation-choose-reason = Why is the card rejected? Choose a reason:
moderation-enter-reason = ✍️ Write the reason for the partner (10 to 500 characters):
moderation-already-decided = ℹ️ Another administrator has already moderated this card.
moderation-unavailable = 🚧 Moderation is turned off.

## Messages to another person: written in the recipient's language

notify-card-published = 🎉 Your card “{$title}” has been published in the catalog!
notify-card-rejected =
    ❌ Your card “{$title}” was rejected.
    Reason: {$reason}
    You can fix it in the personal cabinet and submit it again.
notify-new-submission = 🆕 New card to moderate: “{$title}” from {$partner}.
notify-bot-started = 🟢 Vitrina {$version} has started ({$mode}).
notify-bot-stopping = 🔴 Vitrina {$version} is stopping ({$mode}).
bot-mode-polling = long polling
bot-mode-leader = long polling with a leader lock
bot-mode-webhook = webhook

## Commands (setMyCommands)

cmd-start = Start over
cmd-menu = Main menu
cmd-catalog = Browse the catalog
cmd-cabinet = Personal cabinet
cmd-language = Change the language
cmd-help = Help
cmd-policy = Usage policy
cmd-cancel = Cancel the current action
cmd-moderate = Moderate cards

## Reply buttons (matched by text in every locale: see Button)

btn-catalog = 🗂 Catalog
btn-cabinet = 👤 Personal cabinet
btn-language = 🌐 Language
btn-help = ❓ Help
btn-moderation = 🛡 Moderation ({$count})
btn-become-partner = 🧑‍💼 Become partner
btn-main-menu = ⬅️ Main menu
btn-add-card = ➕ Add card
btn-my-cards = 📋 My cards
btn-back = ⬅️ Back
btn-cancel = ❌ Cancel
btn-skip = ⏭ Skip
btn-photos-done = ✅ Done ({$count}/6)
btn-remove-last-photo = 🗑 Remove last
btn-keep = ✅ Keep as it is

## Inline buttons

btn-accept-policy = ✅ Accept
btn-read-policy = 📜 Read the policy
btn-change-city = 🏙 Change city
btn-all-subcategories = All
btn-page-back = ⬅️ Back
btn-page-forward = Forward ➡️
btn-refresh = 🔄 Refresh
btn-page-counter = {$page}/{$pages}
page-first = This is the first page.
page-last = This is the last page.
btn-view-card = 🔎 {$title}
btn-hide = 👁 Hide
btn-show = 👁 Show
btn-edit-resubmit = ✏️ Edit and resubmit
btn-delete = 🗑 Delete
btn-delete-confirm = ✅ Yes, delete
btn-delete-cancel = ↩️ Cancel
btn-back-to-list = ↩️ Back to list
btn-back-to-categories = ↩️ Back to categories
btn-submit = ✅ Submit for moderation
btn-edit = ✏️ Edit
btn-approve = ✅ Approve
btn-reject = ❌ Reject
btn-mod-skip = ⏭ Skip
btn-mod-finish = ⏹ Finish
btn-review = 🔍 Review
btn-map = 🗺 Map
btn-reason-incomplete = Incomplete
btn-reason-inappropriate = Inappropriate
btn-reason-bad-photo = Bad photo
btn-reason-wrong-category = Wrong category
btn-reason-other = Other…
btn-draft-continue = ▶️ Continue
btn-draft-restart = 🔄 Start over

## Validation errors (min and max count characters or photos)

validation-required = This field is required.
validation-too-short = Too short: at least { $min ->
        [one] {$min} character
       *[other] {$min} characters
    }.
validation-too-long = Too long: at most { $max ->
        [one] {$max} character
       *[other] {$max} characters
    }.
validation-contact-format = Send a phone number (7 to 15 digits), a Telegram @username or a link starting with http:// or https://.
validation-url-format = Send a link starting with http:// or https://.
validation-too-many-photos = You can add at most { $max ->
        [one] {$max} photo
       *[other] {$max} photos
    }.
validation-reason-too-short = The reason is too short: at least { $min ->
        [one] {$min} character
       *[other] {$min} characters
    }.
validation-reason-too-long = The reason is too long: at most { $max ->
        [one] {$max} character
       *[other] {$max} characters
    }.

## Card statuses

status-draft = 📝 Draft
status-pending = ⏳ Waiting for moderation
status-published = ✅ Published
status-rejected = ❌ Rejected
status-archived = 🙈 Hidden
status-deleted = 🗑 Deleted

## Rejection reasons, as the partner reads them

reject-reason-incomplete = The card is incomplete: important information is missing.
reject-reason-inappropriate = The content breaks the usage policy.
reject-reason-bad-photo = The photos are of poor quality or do not show the place.
reject-reason-wrong-category = The card is in the wrong category.
reject-reason-other = Another reason.

## Cities

city-nha-trang = Nha Trang
city-da-nang = Da Nang
city-ho-chi-minh-city = Ho Chi Minh City
city-phu-quoc = Phu Quoc

## Areas

area-nha-trang-centre = Centre
area-nha-trang-north = North
area-nha-trang-south = South
area-da-nang-centre = Centre
area-da-nang-coast = Coast
area-da-nang-outskirts = Outskirts
area-ho-chi-minh-city-centre = Centre
area-ho-chi-minh-city-district-1 = District 1
area-ho-chi-minh-city-district-2 = District 2
area-phu-quoc-duong-dong = Duong Dong
area-phu-quoc-bai-sao = Bai Sao
area-phu-quoc-ong-lang = Ong Lang

## Categories

category-restaurants = 🍽 Restaurants
category-spa = 💆 Spa
category-transport = 🛵 Transport and bike rental
category-hotels = 🏨 Hotels
category-shops = 🛍 Shops and services
category-tours = 🏝 Tours

## Subcategories

subcategory-restaurants-asian = Asian
subcategory-restaurants-european = European
subcategory-restaurants-street-food = Street food
subcategory-restaurants-vegetarian = Vegetarian
subcategory-spa-massage = Massage
subcategory-spa-complex = Spa complex
subcategory-transport-motorbike = Motorbike
subcategory-transport-car = Car
subcategory-transport-bicycle = Bicycle
subcategory-hotels-hotel = Hotel
subcategory-hotels-guesthouse = Guesthouse
subcategory-hotels-apartments = Apartments
subcategory-tours-snorkel = Snorkelling and diving
subcategory-tours-sea = Sea trips
subcategory-tours-land = Land tours

## web cabinet
web-cabinet-offer = Cards are easier to manage on a page: open the web cabinet.
btn-web-cabinet = 🖥 Web cabinet
web-title = Vitrina cabinet
web-loading = Loading…
web-open-in-telegram = Open this page from the bot in Telegram: the “🖥 Web cabinet” button.
web-unauthorized = Telegram did not confirm who you are. Close the page and open it again from the bot.
web-unavailable = The service is temporarily unavailable. Please try again in a minute.
web-not-found = Not found.
web-conflict = The card has changed in the meantime. Refresh the page.
web-bad-request = The request could not be understood. Refresh the page.
web-form-invalid = Please correct the highlighted fields.
web-policy-needed = Please accept the usage policy in the bot first (/start).
web-not-partner = You are not a partner yet.
web-photo-refused = This photo could not be uploaded. Send a JPEG or PNG image of up to 10 MB.
web-tab-cards = 📋 My cards
web-tab-moderation = 🛡 Moderation
web-filter-all = All
web-add-card = ➕ Add card
web-become-partner = 🧑‍💼 Become partner
web-partner-intro = Partners add their places to the Vitrina catalog. Become a partner to add your first card.
web-field-city = City
web-field-area = Area
web-field-category = Category
web-field-subcategory = Subcategory
web-field-title = Title
web-field-description = Description
web-field-contact = Contact
web-field-address = Address
web-field-map-link = Map link
web-field-photos = Photos
web-field-discount = Discount
web-field-optional = optional
web-choose = — choose —
web-none = — none —
web-hint-contact = A phone number, a Telegram @username or a link
web-preview = Preview
web-submit = ✅ Submit for moderation
web-resubmit = ✅ Resubmit for moderation
web-edit-resubmit = ✏️ Edit and resubmit
web-cancel = ↩️ Cancel
web-back = ⬅️ Back
web-hide = 👁 Hide
web-show = 👁 Show
web-delete = 🗑 Delete
web-delete-yes = ✅ Yes, delete
web-map = 🗺 Open the map
web-add-photo = 📷 Add a photo
web-remove-photo = Remove
web-skip = ⏭ Skip
web-reject-custom = Another reason (10–500 characters)
web-reject-send = ❌ Reject with this reason
web-queue-done = Nothing else is waiting.

## Links, search and inline mode

cmd-search = Search by words
link-card-unknown = 🤷 That card is not in the catalog: it was taken down or the link is wrong. Here is the menu.
btn-share = 📤 Share
btn-share-to-chat = ↗️ Send to a chat
share-card-link = 📤 The link to “{$title}” — it opens the card in the bot:
share-qr-caption = 🔳 The QR code of “{$title}”: print it for your door or shop window.
btn-search = 🔎 Search
btn-search-again = 🔎 New search
btn-back-to-results = ↩️ Back to results
btn-open-in-bot = 🗂 Open in the bot
search-ask = 🔎 Type the words to search for in the titles and descriptions of the cards.
search-no-words = There are no words to search for in that. Try, say: coffee, massage, rental.
search-expired = This search is outdated. Start a new one.
search-nothing = 🔎 Nothing found for “{$words}”. Try other words.
search-results = 🔎 “{$words}”: {$count} found · page {$page} of {$pages}

## Places and editing published cards
btn-share-location = 📍 Send my location
btn-share-phone = 📱 Share my phone number
btn-send-place = 📍 Send as a place
btn-nearby = 📍 Nearby
btn-nearby-card = { $title } · { $distance }
places-nearby-ask = 📍 Press “Send my location” below and I will list the places nearest to you.
places-nearby-thanks = 📍 Thank you! Here is what is near you.
places-nearby-list = 📍 Places near you — page { $page }/{ $pages }
places-nearby-empty = No published place has a location on the map yet.
wizard-map-link-pin-hint = You can also send a location pin (📎 → Location, or a place picked on the map) or press “📍 Send my location”.
wizard-contact-share-hint = Or press “📱 Share my phone number”.
btn-edit-card = ✏️ Edit
btn-edit-confirm = ✅ Yes, edit
card-edit-published-confirm = ✏️ An edited card is checked by a moderator again. From the moment you submit the edit until it is approved, the card is hidden from the catalog. Edit it?

## Takedown, featured cards and deleting one's data

cmd-forget-me = Delete my data
btn-admin-feature = ⭐ Feature
btn-admin-unfeature = ☆ Unfeature
btn-admin-take-down = 🚫 Take down
admin-take-down-choose-reason = Why is “{$title}” taken out of the catalog? The partner will be told. Choose a reason:
admin-card-taken-down = 🚫 Taken out of the catalog: the partner has been told the reason.
admin-card-featured = ⭐ The card is featured: it comes first in its lists.
admin-card-unfeatured = ☆ The card is no longer featured.
admin-card-not-public = This card is not in the catalog any more.
notify-card-taken-down =
    🚫 Your card “{$title}” was taken out of the catalog by an administrator.
    Reason: {$reason}
    You can fix it in the personal cabinet and submit it again.
forget-me-ask =
    🗑 Delete everything the bot keeps about you?
    Your profile (language, city, consent), your dialog and all your cards with their photos will be deleted for good. The moderation log keeps its records without your ID.
btn-forget-me-yes = 🗑 Yes, delete
btn-forget-me-no = ↩️ No, keep
forget-me-kept = ↩️ Nothing was deleted.
forget-me-done = ✅ Your data has been deleted{ $cards ->
    [0] .
    [one] , with {$cards} card.
   *[other] , with {$cards} cards.
}
forget-me-goodbye = Goodbye! Send /start to begin again.
