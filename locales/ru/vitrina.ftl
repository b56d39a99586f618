### Vitrina: русский.
### Every message exists in ru, en, vi and ko with the same arguments (the tests check it).
### Plain text only: no HTML markup and no less-than, greater-than or ampersand characters.

## Start, language, policy

language-picker = 🌐 Выберите язык:
language-changed = ✅ Язык переключён на русский.
welcome =
    👋 Добро пожаловать в Витрину — каталог заведений и услуг в городах Вьетнама.

    Прежде чем начать, примите правила использования:
    • карточки появляются в каталоге только после проверки модератором;
    • мы храним только то, что нужно сервису: ваш Telegram ID, язык, город и добавленные вами карточки;
    • недостоверные, оскорбительные и незаконные материалы удаляются.

    Нажмите «Принять», чтобы продолжить, или сначала прочитайте правила целиком.
policy-text =
    📜 Правила использования Витрины

    1. Карточки. Карточка описывает реальное заведение или услугу, которые вы представляете. Текст, фото, адрес и контакты должны быть достоверными, а у вас должно быть право их публиковать. Запрещены: незаконные товары и услуги, материалы для взрослых, оскорбления и разжигание ненависти, мошенничество, спам, чужие фото без разрешения и чужие контактные данные.

    2. Модерация. Каждую новую или изменённую карточку проверяет модератор, прежде чем она появится в каталоге. Карточку могут отклонить, указав причину, — её можно исправить и отправить снова. Опубликованные карточки, нарушающие правила, могут быть скрыты или удалены.

    3. Какие данные мы храним. Ваш Telegram ID, имя и username в том виде, в каком их передаёт Telegram, выбранные язык и город, дату принятия этих правил, ваши карточки с фото и решения модераторов по ним. Мы используем эти данные только для работы каталога, не продаём их и никому не передаём.

    4. Удаление. Скрыть или удалить карточку можно в любой момент в личном кабинете. Удалённая карточка больше нигде не показывается; запись о ней остаётся в журнале модерации. Чтобы удалить всё, что бот хранит о вас, — профиль, язык и город, состояние диалога и все ваши карточки, — отправьте /forget_me и подтвердите. Журнал модерации сохраняет записи о решениях, но без вашего ID, ваших карточек и написанных о них причин.

    5. Связь. С вопросами, жалобами и просьбами удалить ваши данные пишите администраторам каталога (контакты — в описании бота).

    Если правила изменятся, бот попросит принять их снова.
policy-accepted = ✅ Спасибо! Правила приняты.
bot-short-description = Заведения и услуги во Вьетнаме, проверенные модераторами: рестораны, спа, байки, отели, магазины и туры.
bot-description =
    🗂 Витрина — каталог заведений и услуг в городах Вьетнама. Выбирайте город и категорию или добавьте своё заведение карточкой: каждую карточку перед публикацией проверяет модератор.
bot-description-contact = Администраторы: { $contact }

## Main menu and general answers

main-menu = 🏠 Главное меню. Выберите раздел ниже.
help =
    ❓ Как пользоваться Витриной

    🗂 Каталог — выберите город и категорию и смотрите заведения.
    👤 Личный кабинет — добавьте своё заведение карточкой и управляйте своими карточками.
    🌐 Язык — смените язык бота.

    Команды:
    /start — начать сначала
    /menu — главное меню
    /catalog — каталог
    /cabinet — личный кабинет
    /language — сменить язык
    /policy — правила использования
    /cancel — отменить текущее действие
    /help — эта справка
help-admin = /moderate — очередь модерации (для администраторов)
unknown-input = 🤔 Извините, я не понял. Воспользуйтесь кнопками меню ниже или отправьте /help.
not-allowed = ⛔ У вас нет прав на это действие.
not-found = 🔍 Не найдено: возможно, это уже удалили.
callback-outdated = ⌛ Эта кнопка устарела. Откройте раздел заново.
flood-slow-down = 🐢 Вы отправляете сообщения слишком часто. Подождите несколько секунд: то, что придёт за это время, бот не прочитает.
try-later = ⚠️ Что-то пошло не так на нашей стороне. Попробуйте ещё раз через минуту.
cancel-nothing = Отменять нечего.

## Personal cabinet

cabinet-not-partner =
    👤 Личный кабинет

    Здесь заведения добавляют себя в каталог. Станьте партнёром, чтобы создавать карточки своего ресторана, спа, проката, отеля, магазина или экскурсий. Модератор проверит каждую карточку, и после этого её смогут найти в каталоге все.
cabinet-partner = 👤 Личный кабинет. Добавьте новую карточку или управляйте существующими.
cabinet-unavailable = 🚧 Личный кабинет пока недоступен. Загляните позже.
partner-created = 🎉 Теперь вы партнёр! Давайте создадим вашу первую карточку.

## Add-card wizard

wizard-city = Шаг 1 из 10. 🏙 Выберите город, где находится заведение:
wizard-area = Шаг 1 из 10. 📍 Выберите район или нажмите «Пропустить»:
wizard-category = Шаг 2 из 10. 🗂 Выберите категорию:
wizard-subcategory = Шаг 2 из 10. Выберите подкатегорию или нажмите «Пропустить»:
wizard-title = Шаг 3 из 10. ✏️ Отправьте название заведения для карточки (от 3 до 100 символов).
wizard-description = Шаг 4 из 10. 📝 Отправьте описание: что вы предлагаете, часы работы, цены (до 1000 символов). Или нажмите «Пропустить».
wizard-contact = Шаг 5 из 10. 📞 Отправьте контакт: номер телефона, @username в Telegram или ссылку (до 200 символов).
wizard-address = Шаг 6 из 10. 🏠 Отправьте адрес (от 5 до 300 символов) или нажмите «Пропустить».
wizard-map-link = Шаг 7 из 10. 🗺 Отправьте ссылку на карту, начинающуюся с http:// или https:// (до 300 символов), или нажмите «Пропустить».
wizard-photos = Шаг 8 из 10. 📷 Отправьте до {$max} фото заведения. Добавлено: {$count} из {$max}. Когда закончите, нажмите «Готово» или «Пропустить».
wizard-photo-added = ✅ Фото {$count} из {$max} добавлено.
wizard-photo-removed = 🗑 Последнее фото удалено. Осталось фото: {$count}.
wizard-discount = Шаг 9 из 10. 🎁 Есть ли у вас скидка или спецпредложение для пользователей Витрины? Опишите его (до 100 символов) или нажмите «Пропустить».
wizard-preview = Шаг 10 из 10. 👀 Так будет выглядеть ваша карточка. Проверьте её и отправьте на модерацию.
wizard-cancelled = ❌ Создание карточки отменено.
wizard-draft-resume = 📝 У вас есть незаконченная карточка. Продолжить с того места, где вы остановились, или начать заново?
wizard-paused = 📝 Черновик карточки сохранён на 24 часа. Продолжить: { btn-cabinet } → { btn-add-card }.
wizard-text-expected = ✍️ На этом шаге нужен ответ текстом.
wizard-use-buttons = 👆 На этом шаге выберите ответ кнопками в сообщении выше.
wizard-photo-expected = 📷 Отправьте фото (картинкой или файлом изображения) или воспользуйтесь кнопками ниже.
wizard-submitted = 🙌 Спасибо! Карточка отправлена на модерацию. Мы сообщим, как только её проверят.

## My cards and the card view

my-cards-title = 📋 Мои карточки: {$count} · стр. {$page} из {$pages}
my-cards-empty = У вас пока нет карточек. Добавьте первую!
card-status-line = Статус: {$status}
card-rejection-reason = ❗ Причина отклонения: {$reason}
card-field-area = 📍 Район: {$area}
card-field-address = 🏠 Адрес: {$address}
card-field-contact = 📞 Контакт: {$contact}
card-field-discount = 🎁 Скидка: {$discount}
card-hidden = 🙈 Карточка скрыта из каталога.
card-shown = 👁 Карточка снова в каталоге.
card-delete-confirm = 🗑 Удалить эту карточку? Это действие нельзя отменить.
card-deleted = 🗑 Карточка удалена.

## Catalog

catalog-choose-city = 🏙 Выберите город:
catalog-city-chosen = 📍 Ваш город: {$city}. Я его запомню.
catalog-choose-category = 🗂 {$city}: выберите категорию:
catalog-category-count = {$name} ({$count})
catalog-choose-subcategory = 🗂 {$city} · {$category}: выберите подкатегорию:
catalog-list = 📍 {$city} · {$category} · стр. {$page} из {$pages}
catalog-empty = Здесь пока пусто. Попробуйте другую категорию или город.

## Moderation

moderation-queue = 🛡 Ждут модерации: { $left ->
        [one] {$left} карточка
        [few] {$left} карточки
       *[many] {$left} карточек
    }.
moderation-submitter = 👤 Отправитель: {$partner}
moderation-resubmitted = 🔁 Отправлена повторно после отклонения.
moderation-empty = ✨ Карточек на модерации нет.
moderation-finished = ⏹ Модерация завершена.
moderation-finished-left = ⏹ Модерация завершена. Ещё ждут проверки: {$left}.
moderation-approved = ✅ Одобрено: карточка опубликована.
moderation-rejected = ❌ Отклонено: партнёру сообщили причину.
moderation-choose-reason = Почему карточка отклонена? Выберите причину:
moderation-enter-reason = ✍️ Напишите причину для партнёра (от 10 до 500 символов):
moderation-already-decided = ℹ️ Эту карточку уже проверил другой администратор.
moderation-unavailable = 🚧 Модерация отключена.

## Messages to another person: written in the recipient's language

notify-card-published = 🎉 Ваша карточка «{$title}» опубликована в каталоге!
notify-card-rejected =
    ❌ Ваша карточка «{$title}» отклонена.
    Причина: {$reason}
    Её можно исправить в личном кабинете и отправить снова.
notify-new-submission = 🆕 Новая карточка на модерацию: «{$title}» от {$partner}.
notify-bot-started = 🟢 Витрина {$version} запущена ({$mode}).
notify-bot-stopping = 🔴 Витрина {$version} останавливается ({$mode}).
bot-mode-polling = long polling
bot-mode-leader = long polling с блокировкой лидера
bot-mode-webhook = вебхук

## Commands (setMyCommands)

cmd-start = Начать сначала
cmd-menu = Главное меню
cmd-catalog = Каталог
cmd-cabinet = Личный кабинет
cmd-language = Сменить язык
cmd-help = Помощь
cmd-policy = Правила использования
cmd-cancel = Отменить текущее действие
cmd-moderate = Модерация карточек

## Reply buttons (matched by text in every locale: see Button)

btn-catalog = 🗂 Каталог
btn-cabinet = 👤 Личный кабинет
btn-language = 🌐 Язык
btn-help = ❓ Помощь
btn-moderation = 🛡 Модерация ({$count})
btn-become-partner = 🧑‍💼 Стать партнёром
btn-main-menu = ⬅️ Главное меню
btn-add-card = ➕ Добавить карточку
btn-my-cards = 📋 Мои карточки
btn-back = ⬅️ Назад
btn-cancel = ❌ Отмена
btn-skip = ⏭ Пропустить
btn-photos-done = ✅ Готово ({$count}/6)
btn-remove-last-photo = 🗑 Удалить последнее
btn-keep = ✅ Оставить как есть

## Inline buttons

btn-accept-policy = ✅ Принять
btn-read-policy = 📜 Прочитать правила
btn-change-city = 🏙 Сменить город
btn-all-subcategories = Все
btn-page-back = ⬅️ Назад
btn-page-forward = Вперёд ➡️
btn-refresh = 🔄 Обновить
btn-page-counter = {$page}/{$pages}
page-first = Это первая страница.
page-last = Это последняя страница.
btn-view-card = 🔎 {$title}
btn-hide = 👁 Скрыть
btn-show = 👁 Показать
btn-edit-resubmit = ✏️ Исправить и отправить снова
btn-delete = 🗑 Удалить
btn-delete-confirm = ✅ Да, удалить
btn-delete-cancel = ↩️ Отмена
btn-back-to-list = ↩️ К списку
btn-back-to-categories = ↩️ К категориям
btn-submit = ✅ Отправить на модерацию
btn-edit = ✏️ Изменить
btn-approve = ✅ Одобрить
btn-reject = ❌ Отклонить
btn-mod-skip = ⏭ Пропустить
btn-mod-finish = ⏹ Завершить
btn-review = 🔍 Проверить
btn-map = 🗺 Карта
btn-reason-incomplete = Неполная
btn-reason-inappropriate = Недопустимое содержание
btn-reason-bad-photo = Плохие фото
btn-reason-wrong-category = Не та категория
btn-reason-other = Другое…
btn-draft-continue = ▶️ Продолжить
btn-draft-restart = 🔄 Начать заново

## Validation errors (min and max count characters or photos)

validation-required = Это поле обязательно.
validation-too-short = Слишком коротко: нужно не меньше { $min ->
        [one] {$min} символа
        [few] {$min} символов
       *[many] {$min} символов
    }.
validation-too-long = Слишком длинно: можно не больше { $max ->
        [one] {$max} символа
        [few] {$max} символов
       *[many] {$max} символов
    }.
validation-contact-format = Отправьте номер телефона (от 7 до 15 цифр), @username в Telegram или ссылку, начинающуюся с http:// или https://.
validation-url-format = Отправьте ссылку, начинающуюся с http:// или https://.
validation-too-many-photos = Можно добавить не больше {$max} фото.
validation-reason-too-short = Причина слишком короткая: нужно не меньше { $min ->
        [one] {$min} символа
        [few] {$min} символов
       *[many] {$min} символов
    }.
validation-reason-too-long = Причина слишком длинная: можно не больше { $max ->
        [one] {$max} символа
        [few] {$max} символов
       *[many] {$max} символов
    }.

## Card statuses

status-draft = 📝 Черновик
status-pending = ⏳ На модерации
status-published = ✅ Опубликована
status-rejected = ❌ Отклонена
status-archived = 🙈 Скрыта
status-deleted = 🗑 Удалена

## Rejection reasons, as the partner reads them

reject-reason-incomplete = Карточка заполнена не полностью: не хватает важной информации.
reject-reason-inappropriate = Содержание нарушает правила использования.
reject-reason-bad-photo = Фото плохого качества или на них не видно заведения.
reject-reason-wrong-category = Карточка в неподходящей категории.
reject-reason-other = Другая причина.

## Cities

city-nha-trang = Нячанг
city-da-nang = Дананг
city-ho-chi-minh-city = Хошимин
city-phu-quoc = Фукуок

## Areas

area-nha-trang-centre = Центр
area-nha-trang-north = Север
area-nha-trang-south = Юг
area-da-nang-centre = Центр
area-da-nang-coast = Побережье
area-da-nang-outskirts = Окраины
area-ho-chi-minh-city-centre = Центр
area-ho-chi-minh-city-district-1 = Район 1
area-ho-chi-minh-city-district-2 = Район 2
area-phu-quoc-duong-dong = Дуонг Донг
area-phu-quoc-bai-sao = Бай Сао
area-phu-quoc-ong-lang = Онг Ланг

## Categories

category-restaurants = 🍽 Рестораны
category-spa = 💆 Спа
category-transport = 🛵 Транспорт и аренда байков
category-hotels = 🏨 Отели
category-shops = 🛍 Магазины и услуги
category-tours = 🏝 Экскурсии

## Subcategories

subcategory-restaurants-asian = Азиатская кухня
subcategory-restaurants-european = Европейская кухня
subcategory-restaurants-street-food = Уличная еда
subcategory-restaurants-vegetarian = Вегетарианская кухня
subcategory-spa-massage = Массаж
subcategory-spa-complex = Спа-комплекс
subcategory-transport-motorbike = Мотобайк
subcategory-transport-car = Автомобиль
subcategory-transport-bicycle = Велосипед
subcategory-hotels-hotel = Отель
subcategory-hotels-guesthouse = Гестхаус
subcategory-hotels-apartments = Апартаменты
subcategory-tours-snorkel = Снорклинг и дайвинг
subcategory-tours-sea = Морские прогулки
subcategory-tours-land = Сухопутные экскурсии

## web cabinet
web-cabinet-offer = Карточками удобнее управлять на странице: откройте веб-кабинет.
btn-web-cabinet = 🖥 Веб-кабинет
web-title = Кабинет Vitrina
web-loading = Загрузка…
web-open-in-telegram = Откройте эту страницу из бота в Telegram: кнопка «🖥 Веб-кабинет».
web-unauthorized = Telegram не подтвердил, кто вы. Закройте страницу и откройте её снова из бота.
web-unavailable = Сервис временно недоступен. Попробуйте через минуту.
web-not-found = Не найдено.
web-conflict = Карточка тем временем изменилась. Обновите страницу.
web-bad-request = Запрос не удалось понять. Обновите страницу.
web-form-invalid = Исправьте отмеченные поля.
web-policy-needed = Сначала примите правила использования в боте (/start).
web-not-partner = Вы ещё не партнёр.
web-photo-refused = Не удалось загрузить фото. Отправьте изображение JPEG или PNG размером до 10 МБ.
web-tab-cards = 📋 Мои карточки
web-tab-moderation = 🛡 Модерация
web-filter-all = Все
web-add-card = ➕ Добавить карточку
web-become-partner = 🧑‍💼 Стать партнёром
web-partner-intro = Партнёры добавляют свои заведения в каталог Vitrina. Станьте партнёром, чтобы добавить первую карточку.
web-field-city = Город
web-field-area = Район
web-field-category = Категория
web-field-subcategory = Подкатегория
web-field-title = Название
web-field-description = Описание
web-field-contact = Контакт
web-field-address = Адрес
web-field-map-link = Ссылка на карту
web-field-photos = Фото
web-field-discount = Скидка
web-field-optional = необязательно
web-choose = — выберите —
web-none = — нет —
web-hint-contact = Телефон, @username в Telegram или ссылка
web-preview = Предпросмотр
web-submit = ✅ Отправить на модерацию
web-resubmit = ✅ Отправить на модерацию снова
web-edit-resubmit = ✏️ Исправить и отправить снова
web-cancel = ↩️ Отмена
web-back = ⬅️ Назад
web-hide = 👁 Скрыть
web-show = 👁 Показать
web-delete = 🗑 Удалить
web-delete-yes = ✅ Да, удалить
web-map = 🗺 Открыть карту
web-add-photo = 📷 Добавить фото
web-remove-photo = Убрать
web-skip = ⏭ Пропустить
web-reject-custom = Другая причина (10–500 символов)
web-reject-send = ❌ Отклонить с этой причиной
web-queue-done = Больше ничего не ждёт модерации.

## Links, search and inline mode

cmd-search = Поиск по словам
link-card-unknown = 🤷 Такой карточки нет в каталоге: она снята с публикации или ссылка неверна. Вот меню.
btn-share = 📤 Поделиться
btn-share-to-chat = ↗️ Отправить в чат
share-card-link = 📤 Ссылка на «{$title}» — она откроет карточку в боте:
share-qr-caption = 🔳 QR-код карточки «{$title}»: распечатайте его для двери или витрины.
btn-search = 🔎 Поиск
btn-search-again = 🔎 Новый поиск
btn-back-to-results = ↩️ К результатам
btn-open-in-bot = 🗂 Открыть в боте
search-ask = 🔎 Напишите слова для поиска — по названию и описанию карточек.
search-no-words = В этом нет слов для поиска. Напишите, например: кофе, массаж, аренда.
search-expired = Этот поиск устарел. Начните новый.
search-nothing = 🔎 По запросу «{$words}» ничего не нашлось. Попробуйте другие слова.
search-results = 🔎 «{$words}»: найдено {$count} · стр. {$page} из {$pages}

## Places and editing published cards
btn-share-location = 📍 Отправить моё местоположение
btn-share-phone = 📱 Поделиться номером телефона
btn-send-place = 📍 Отправить как место
btn-nearby = 📍 Рядом со мной
btn-nearby-card = { $title } · { $distance }
places-nearby-ask = 📍 Нажмите «Отправить моё местоположение» ниже, и я покажу ближайшие места.
places-nearby-thanks = 📍 Спасибо! Вот что рядом с вами.
places-nearby-list = 📍 Места рядом с вами — страница { $page }/{ $pages }
places-nearby-empty = Пока ни у одного опубликованного места нет точки на карте.
wizard-map-link-pin-hint = Можно также отправить точку на карте (📎 → Геопозиция, или место, выбранное на карте) или нажать «📍 Отправить моё местоположение».
wizard-contact-share-hint = Или нажмите «📱 Поделиться номером телефона».
btn-edit-card = ✏️ Изменить
btn-edit-confirm = ✅ Да, изменить
card-edit-published-confirm = ✏️ Изменённую карточку снова проверит модератор. С момента отправки изменений и до одобрения карточка скрыта из каталога. Изменить её?

## Takedown, featured cards and deleting one's data

cmd-forget-me = Удалить мои данные
btn-admin-feature = ⭐ Закрепить
btn-admin-unfeature = ☆ Открепить
btn-admin-take-down = 🚫 Снять с публикации
admin-take-down-choose-reason = Почему «{$title}» снимается с публикации? Партнёр получит уведомление. Выберите причину:
admin-card-taken-down = 🚫 Снята с публикации: партнёр получил причину.
admin-card-featured = ⭐ Карточка закреплена: она первая в своих списках.
admin-card-unfeatured = ☆ Карточка больше не закреплена.
admin-card-not-public = Этой карточки уже нет в каталоге.
notify-card-taken-down =
    🚫 Администратор снял вашу карточку «{$title}» с публикации.
    Причина: {$reason}
    Её можно исправить в личном кабинете и отправить снова.
forget-me-ask =
    🗑 Удалить всё, что бот хранит о вас?
    Профиль (язык, город, согласие), состояние диалога и все ваши карточки с фотографиями будут удалены навсегда. Журнал модерации сохранит записи без вашего ID.
btn-forget-me-yes = 🗑 Да, удалить
btn-forget-me-no = ↩️ Нет, оставить
forget-me-kept = ↩️ Ничего не удалено.
forget-me-done = ✅ Ваши данные удалены{ $cards ->
    [0] .
    [one] , вместе с {$cards} карточкой.
   *[other] , вместе с карточками: {$cards}.
}
forget-me-goodbye = До свидания! Чтобы начать заново, отправьте /start.
