//! The web cabinet (Mini App) in a real browser: headless Chromium, driven through
//! chromedriver's W3C WebDriver API, opens the page served by the real `bot` binary, which
//! talks to the Bot API double. A partner creates a card on the page (with a photo), an admin
//! approves it on the page, and the card is then in the bot's catalog; a second card is
//! rejected with a reason on the page, and the partner reads the reason, edits the card and
//! sends it again. Screenshots of the main
//! pages, in English and Russian, are saved under `target/webapp-screenshots`.
//!
//! Skips, saying why, when Chromium or chromedriver is missing (`CHROMIUM`, `CHROMEDRIVER`
//! name other paths than `/usr/bin/chromium`, `/usr/bin/chromedriver`); `.ci/run` installs both.
#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use vitrina_fake_bot_api::{ChatView, Config, FakeBotApi, Handle};
use vitrina_i18n::{Arg, Catalog, Locale};
use vitrina_testkit::net::free_port;
use vitrina_testkit::process::{self, Process};

const WAIT: Duration = Duration::from_secs(30);
const PARTNER: i64 = 4101;
const ADMIN: i64 = 4102;
const VISITOR: i64 = 4103;
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

#[tokio::test(flavor = "multi_thread")]
async fn a_partner_creates_a_card_on_the_page_an_admin_approves_it_and_it_is_in_the_catalog() {
    let Some((chromium, chromedriver)) = browser() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let api = FakeBotApi::start(Config::default()).await.unwrap();
    let fake = api.handle().clone();
    let port = free_port();
    let web_app_url = format!("http://127.0.0.1:{port}/app/");
    let env = vec![
        ("BOT_TOKEN", api.token().to_owned()),
        ("TELEGRAM_API_URL", api.base_url()),
        (
            "DATABASE_URL",
            format!("sqlite://{}", dir.path().join("vitrina.db").display()),
        ),
        ("HTTP_ADDR", format!("127.0.0.1:{port}")),
        ("ADMIN_IDS", ADMIN.to_string()),
        ("WEB_APP_URL", web_app_url.clone()),
        ("RUST_LOG", "info".to_owned()),
    ];
    let mut command = process::clean_command(env!("CARGO_BIN_EXE_bot"), dir.path());
    command
        .arg("run")
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())));
    let mut bot = Process::spawn(command, dir.path().join("bot.log"));
    wait_serving(&mut bot, SocketAddr::from(([127, 0, 0, 1], port))).await;
    let catalog = Catalog::load().unwrap();
    let t = |locale: Locale, key: &str| catalog.text(locale, key);

    // The bot offers the web cabinet: the menu button, and a button in the cabinet.
    let chats = Chats { fake: &fake };
    chats.onboard(PARTNER, Locale::En).await;
    chats.onboard(ADMIN, Locale::Ru).await;
    chats.onboard(VISITOR, Locale::En).await;
    fake.press_reply_button(PARTNER, &t(Locale::En, "btn-cabinet"))
        .await
        .unwrap();
    let chat = fake
        .wait_for(PARTNER, |chat| web_app_button(chat).is_some(), WAIT)
        .await
        .unwrap();
    assert_eq!(web_app_button(&chat).as_deref(), Some(web_app_url.as_str()));
    let menu = fake.menu_button(None).expect("the menu button is set");
    assert_eq!(menu["type"], "web_app");
    assert_eq!(menu["web_app"]["url"], web_app_url.as_str());

    let screenshots = screenshot_dir();
    let driver = Driver::start(&chromedriver, &chromium).await;

    // The partner, in English: becomes a partner and creates a card with a photo.
    driver.open(&link(dir.path(), &env, PARTNER)).await;
    driver.click("#become-partner").await;
    driver.wait("#card-form").await;
    driver.click("#field-city option[value=\"1\"]").await;
    driver.click("#field-area option[value=\"101\"]").await;
    driver.click("#field-category option[value=\"1\"]").await;
    driver
        .click("#field-subcategory option[value=\"103\"]")
        .await;
    driver.type_into("#field-title", "ab").await;
    driver.type_into("#field-contact", "call me").await;
    driver.click("#submit").await;
    // The wizard's own messages, in the partner's language.
    let error = driver.wait_text("#error-title").await;
    assert_eq!(
        error,
        catalog.text_with(
            Locale::En,
            "validation-too-short",
            &[("min", Arg::Number(3))]
        )
    );
    assert_eq!(
        driver.wait_text("#error-contact").await,
        t(Locale::En, "validation-contact-format")
    );
    driver
        .save_screenshot(&screenshots.join("en-card-form-errors.png"))
        .await;
    driver.type_into("#field-title", "c Lan Noodles").await;
    driver.clear("#field-contact").await;
    driver.type_into("#field-contact", "+84 905 123 456").await;
    driver
        .type_into("#field-address", "12 Tran Phu street")
        .await;
    driver
        .type_into("#field-discount", "10% with Vitrina")
        .await;
    let photo = dir.path().join("photo.png");
    std::fs::write(&photo, PNG).unwrap();
    driver
        .type_into("#photo-file", &photo.display().to_string())
        .await;
    driver.wait("#photos img[src^=\"blob:\"]").await;
    driver
        .save_screenshot(&screenshots.join("en-card-form.png"))
        .await;
    driver.click("#submit").await;
    driver.wait("#cards li").await;
    assert_eq!(
        driver.wait_text("#notice").await,
        t(Locale::En, "wizard-submitted")
    );
    let listed = driver.wait_text("#cards li").await;
    assert!(listed.contains("abc Lan Noodles"), "{listed}");
    assert!(
        listed.contains(&t(Locale::En, "status-pending")),
        "{listed}"
    );
    driver
        .save_screenshot(&screenshots.join("en-my-cards.png"))
        .await;
    driver.click("#cards li").await;
    driver.wait("#card").await;
    driver
        .save_screenshot(&screenshots.join("en-card.png"))
        .await;

    // The admin is told in Russian, and approves on the page.
    fake.wait_for(
        ADMIN,
        |chat| {
            chat.bot_messages()
                .any(|m| m.body().contains("abc Lan Noodles"))
        },
        WAIT,
    )
    .await
    .unwrap();
    driver.open(&link(dir.path(), &env, ADMIN)).await;
    driver.click("#tab-moderation").await;
    driver.wait("#approve").await;
    let card = driver.wait_text("#card").await;
    assert!(card.contains("abc Lan Noodles"), "{card}");
    assert!(card.contains("12 Tran Phu street"), "{card}");
    assert_eq!(
        driver.wait_text("#tab-moderation").await,
        t(Locale::Ru, "web-tab-moderation")
    );
    driver.wait("#card img[src^=\"blob:\"]").await;
    driver
        .save_screenshot(&screenshots.join("ru-moderation.png"))
        .await;
    driver.click("#approve").await;
    driver.wait("#queue-empty").await;
    assert_eq!(
        driver.wait_text("#notice").await,
        t(Locale::Ru, "moderation-approved")
    );
    driver
        .save_screenshot(&screenshots.join("ru-moderation-empty.png"))
        .await;
    driver.open(&link(dir.path(), &env, ADMIN)).await;
    driver.wait("#intro").await;
    driver
        .save_screenshot(&screenshots.join("ru-cabinet.png"))
        .await;
    driver.quit().await;

    // The partner is told, in English; and the card is in the bot's catalog.
    let published = catalog.text_with(
        Locale::En,
        "notify-card-published",
        &[("title", Arg::from("abc Lan Noodles"))],
    );
    fake.wait_for(
        PARTNER,
        |chat| chat.bot_messages().any(|m| m.body() == published),
        WAIT,
    )
    .await
    .unwrap();
    fake.send_command(VISITOR, "catalog").await;
    chats.press(VISITOR, &t(Locale::En, "city-nha-trang")).await;
    let category = catalog.text_with(
        Locale::En,
        "catalog-category-count",
        &[
            ("name", Arg::from(t(Locale::En, "category-restaurants"))),
            ("count", Arg::Number(1)),
        ],
    );
    chats.press(VISITOR, &category).await;
    chats
        .press(VISITOR, &t(Locale::En, "btn-all-subcategories"))
        .await;
    let view = catalog.text_with(
        Locale::En,
        "btn-view-card",
        &[("title", Arg::from("abc Lan Noodles"))],
    );
    fake.wait_for(
        VISITOR,
        |chat| chat.bot_messages().any(|m| m.button(&view).is_some()),
        WAIT,
    )
    .await
    .unwrap();

    // A second card is rejected with a reason on the page; the partner sees the reason,
    // edits the card and sends it again.
    let driver = Driver::start(&chromedriver, &chromium).await;
    driver.open(&link(dir.path(), &env, PARTNER)).await;
    driver.click("#add-card").await;
    driver.click("#field-city option[value=\"2\"]").await;
    driver.click("#field-category option[value=\"2\"]").await;
    driver.type_into("#field-title", "Lotus Spa").await;
    driver.type_into("#field-contact", "@lotus_spa").await;
    driver.click("#submit").await;
    driver.wait("#cards li[data-card]").await;
    driver.open(&link(dir.path(), &env, ADMIN)).await;
    driver.click("#tab-moderation").await;
    driver.click("#reject").await;
    driver.wait("[data-reason=\"bad_photo\"]").await;
    driver
        .save_screenshot(&screenshots.join("ru-reject-reasons.png"))
        .await;
    driver.click("[data-reason=\"bad_photo\"]").await;
    driver.wait("#queue-empty").await;
    driver.open(&link(dir.path(), &env, PARTNER)).await;
    driver.click("[data-filter=\"rejected\"]").await;
    let rejected = driver.wait_text("#cards li").await;
    assert!(rejected.contains("Lotus Spa"), "{rejected}");
    driver.click("#cards li").await;
    let reason = driver.wait_text("#rejection").await;
    assert!(
        reason.contains(&t(Locale::En, "reject-reason-bad-photo")),
        "{reason}"
    );
    driver
        .save_screenshot(&screenshots.join("en-rejected-card.png"))
        .await;
    driver.click("#resubmit").await;
    driver.wait("#card-form").await;
    driver.clear("#field-title").await;
    driver.type_into("#field-title", "Lotus Spa Garden").await;
    driver.click("#submit").await;
    driver.wait("#cards li").await;
    let listed = driver.wait_text("#cards").await;
    assert!(listed.contains("Lotus Spa Garden"), "{listed}");
    assert!(
        !listed.contains(&t(Locale::En, "status-rejected")),
        "{listed}"
    );
    driver.quit().await;

    println!("screenshots of the web cabinet: {}", screenshots.display());
    bot.signal("TERM");
    assert_eq!(bot.wait_exit(WAIT).await, Some(0), "{}", bot.log());
}

/// Chromium and chromedriver, or `None` with the reason printed.
fn browser() -> Option<(PathBuf, PathBuf)> {
    let find = |variable: &str, default: &str| {
        let path = std::env::var_os(variable).map_or_else(|| PathBuf::from(default), PathBuf::from);
        path.exists().then_some(path)
    };
    match (
        find("CHROMIUM", "/usr/bin/chromium"),
        find("CHROMEDRIVER", "/usr/bin/chromedriver"),
    ) {
        (Some(chromium), Some(chromedriver)) => Some((chromium, chromedriver)),
        _ => {
            println!(
                "skipped: the browser test needs Chromium and chromedriver (Debian packages \
                 `chromium` and `chromium-driver`, or CHROMIUM and CHROMEDRIVER naming them)"
            );
            None
        }
    }
}

fn screenshot_dir() -> PathBuf {
    // CARGO_TARGET_TMPDIR is `<target>/tmp`: the screenshots go beside it.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map_or_else(|| PathBuf::from("target"), Path::to_path_buf);
    let dir = target.join("webapp-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The URL `bot webapp-link` prints for `user`.
fn link(dir: &Path, env: &[(&str, String)], user: i64) -> String {
    let mut command = process::clean_command(env!("CARGO_BIN_EXE_bot"), dir);
    command
        .args([
            "webapp-link",
            "--user",
            &user.to_string(),
            "--first-name",
            "Lan",
        ])
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())));
    let finished = process::run(command);
    assert_eq!(finished.status, Some(0), "{}", finished.stderr);
    let url = finished.stdout.lines().next().unwrap().to_owned();
    assert!(url.contains("#tgWebAppData="), "{url}");
    url
}

fn web_app_button(chat: &ChatView) -> Option<String> {
    chat.bot_messages()
        .flat_map(|message| message.inline_keyboard.iter().flatten())
        .find_map(|button| button.web_app.clone())
}

async fn wait_serving(bot: &mut Process, addr: SocketAddr) {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(status) = bot.exited() {
            panic!("the bot exited with {status}:\n{}", bot.log());
        }
        if let Ok((200, _)) = http(addr, "GET", "/app/api/welcome", None).await {
            return;
        }
        assert!(Instant::now() < deadline, "never served:\n{}", bot.log());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// People in their chats with the bot.
struct Chats<'a> {
    fake: &'a Handle,
}

impl Chats<'_> {
    /// Waits for the bot's answer to the user's last action.
    async fn answered(&self, user: i64, before: usize) {
        self.fake
            .wait_for_bot_messages(user, before + 1, WAIT)
            .await
            .unwrap();
    }

    async fn press(&self, user: i64, label: &str) {
        let before = self.fake.chat(user).bot_messages().count();
        let deadline = Instant::now() + WAIT;
        // The button may be on a message still on its way.
        while self.fake.press_inline_button(user, label).await.is_err() {
            assert!(
                Instant::now() < deadline,
                "no button {label:?}:\n{}",
                self.fake.chat(user).transcript()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let _ = self
            .fake
            .wait_for(
                user,
                |chat| {
                    chat.bot_messages().count() > before || chat.bot_messages().any(|m| m.edited)
                },
                WAIT,
            )
            .await;
    }

    async fn onboard(&self, user: i64, locale: Locale) {
        let _ = self.fake.user(user).with_language(locale.code());
        let before = self.fake.chat(user).bot_messages().count();
        self.fake.send_command(user, "start").await;
        self.answered(user, before).await;
        self.press(user, &locale.picker_label()).await;
        let catalog = Catalog::load().unwrap();
        self.press(user, &catalog.text(locale, "btn-accept-policy"))
            .await;
        self.fake
            .wait_for(
                user,
                |chat| {
                    chat.bot_messages()
                        .any(|m| m.body().contains(&catalog.text(locale, "main-menu")))
                },
                WAIT,
            )
            .await
            .unwrap();
    }
}

/// A WebDriver session of headless Chromium on a phone-sized window; chromedriver is killed
/// when it is dropped.
struct Driver {
    chromedriver: Child,
    addr: SocketAddr,
    session: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.chromedriver.kill();
        let _ = self.chromedriver.wait();
    }
}

impl Driver {
    async fn start(chromedriver: &Path, chromium: &Path) -> Driver {
        let port = free_port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let mut driver = Driver {
            chromedriver: child,
            addr,
            session: String::new(),
        };
        let deadline = Instant::now() + WAIT;
        while http(addr, "GET", "/status", None).await.is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // `eager`: a navigation waits for the document, not for Telegram's script, which a
        // machine without Internet access never gets.
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "pageLoadStrategy": "eager",
            "goog:chromeOptions": {
                "binary": chromium.display().to_string(),
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--window-size=390,844",
                         "--hide-scrollbars", "--force-device-scale-factor=1"],
            },
        }}});
        let session = driver.call("POST", "/session", Some(capabilities)).await;
        driver.session = session["sessionId"].as_str().unwrap().to_owned();
        driver
    }

    async fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let (status, text) = http(self.addr, method, path, body.as_ref())
            .await
            .unwrap_or_else(|error| panic!("{method} {path}: {error}"));
        let answer: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        assert_eq!(status, 200, "{method} {path}: {text}");
        answer["value"].clone()
    }

    async fn session_call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let path = format!("/session/{}{path}", self.session);
        self.call(method, &path, body).await
    }

    async fn try_find(&self, css: &str) -> Option<String> {
        let path = format!("/session/{}/element", self.session);
        let body = json!({"using": "css selector", "value": css});
        let (status, text) = http(self.addr, "POST", &path, Some(&body)).await.ok()?;
        let answer: Value = serde_json::from_str(&text).ok()?;
        (status == 200).then(|| answer["value"][ELEMENT].as_str().map(str::to_owned))?
    }

    /// Waits for an element to be on the page (the page draws after its API calls).
    async fn wait(&self, css: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(element) = self.try_find(css).await {
                return element;
            }
            if Instant::now() > deadline {
                let source = self.session_call("GET", "/source", None).await;
                panic!("no {css} on the page:\n{source}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The element's text once it has some.
    async fn wait_text(&self, css: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let text = self.on_element(css, "GET", "text", None).await;
            if let Some(text) = text.as_str().filter(|text| !text.is_empty()) {
                return text.to_owned();
            }
            assert!(Instant::now() < deadline, "{css} stays empty");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// A command on the element `css` selects. The page draws again after its API calls, so
    /// an element found a moment ago may be gone or covered: such a command is tried again on
    /// the element found anew, until the wait runs out.
    async fn on_element(
        &self,
        css: &str,
        method: &str,
        command: &str,
        body: Option<Value>,
    ) -> Value {
        const REDRAWN: [&str; 3] = [
            "stale element reference",
            "element click intercepted",
            "element not interactable",
        ];
        let deadline = Instant::now() + WAIT;
        loop {
            let element = self.wait(css).await;
            let path = format!("/session/{}/element/{element}/{command}", self.session);
            let (status, text) = http(self.addr, method, &path, body.as_ref())
                .await
                .unwrap_or_else(|error| panic!("{method} {path}: {error}"));
            let answer: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            if status == 200 {
                return answer["value"].clone();
            }
            let error = answer["value"]["error"].as_str().unwrap_or_default();
            assert!(
                REDRAWN.contains(&error) && Instant::now() < deadline,
                "{method} {path} on {css}: {text}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn open(&self, url: &str) {
        // Only the fragment differs between two people's links: leave the page first, so
        // that it loads afresh.
        self.session_call("POST", "/url", Some(json!({"url": "about:blank"})))
            .await;
        self.session_call("POST", "/url", Some(json!({"url": url})))
            .await;
    }

    async fn click(&self, css: &str) {
        self.on_element(css, "POST", "click", Some(json!({}))).await;
    }

    async fn type_into(&self, css: &str, text: &str) {
        self.on_element(css, "POST", "value", Some(json!({"text": text})))
            .await;
    }

    async fn clear(&self, css: &str) {
        self.on_element(css, "POST", "clear", Some(json!({}))).await;
    }

    async fn save_screenshot(&self, path: &Path) {
        let encoded = self.session_call("GET", "/screenshot", None).await;
        let png = base64_decode(encoded.as_str().unwrap());
        assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
        std::fs::write(path, png).unwrap();
    }

    async fn quit(&self) {
        self.call("DELETE", &format!("/session/{}", self.session), None)
            .await;
    }
}

/// One HTTP/1.1 request on its own connection: (status, body). The body is read by its
/// `Content-Length` (or its chunks): chromedriver answers `Connection: close` but keeps the
/// connection open.
async fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> std::io::Result<(u16, String)> {
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut stream = TcpStream::connect(addr).await?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await?;
    tokio::time::timeout(Duration::from_secs(120), read_answer(&mut stream))
        .await
        .map_err(|_| std::io::Error::other("no answer"))?
}

async fn read_answer(stream: &mut TcpStream) -> std::io::Result<(u16, String)> {
    let mut received = Vec::new();
    let mut buffer = [0u8; 8192];
    let complete = |received: &[u8]| -> Option<(u16, String)> {
        let head_end = received
            .windows(4)
            .position(|window| window == b"\r\n\r\n")?;
        let head = String::from_utf8_lossy(received.get(..head_end)?).to_ascii_lowercase();
        let body = received.get(head_end + 4..)?;
        let status = head.split(' ').nth(1)?.parse().ok()?;
        if head.contains("transfer-encoding: chunked") || head.contains("transfer-encoding:chunked")
        {
            return body
                .ends_with(b"0\r\n\r\n")
                .then(|| (status, dechunk(&String::from_utf8_lossy(body))));
        }
        let length = head.lines().find_map(|line| {
            line.strip_prefix("content-length:")
                .and_then(|value| value.trim().parse::<usize>().ok())
        })?;
        (body.len() >= length).then(|| (status, String::from_utf8_lossy(body).into_owned()))
    };
    loop {
        let read = stream.read(&mut buffer).await?;
        if read == 0 {
            let text = String::from_utf8_lossy(&received).into_owned();
            let (head, body) = text
                .split_once("\r\n\r\n")
                .ok_or_else(|| std::io::Error::other(format!("not HTTP: {text:?}")))?;
            let status = head
                .split(' ')
                .nth(1)
                .and_then(|code| code.parse().ok())
                .ok_or_else(|| std::io::Error::other(format!("not HTTP: {head:?}")))?;
            return Ok((status, body.to_owned()));
        }
        received.extend_from_slice(&buffer[..read]);
        if let Some(answer) = complete(&received) {
            return Ok(answer);
        }
    }
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || rest.len() < size {
            break;
        }
        out.push_str(&rest[..size]);
        body = rest[size..].trim_start_matches("\r\n");
    }
    out
}

fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let digits: Vec<u8> = text.bytes().filter_map(value).collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let bits = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, d)| acc | (u32::from(*d) << (18 - 6 * i)));
        let bytes = bits.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}

/// A 1×1 PNG, for the photo upload.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
    0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];
