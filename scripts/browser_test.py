#!/usr/bin/env python3
"""Real-browser test of Tipline's public web form, with JavaScript disabled.

Drives headless Chromium through Selenium against a running tipline-server (normally started
by scripts/browser-test.sh on a throw-away demo deployment) and checks what a reporter sees:
the form in both languages, a submission with a photo, the receipt page, follow-up with a
message, a wrong receipt, a field-level validation error, that the pages load nothing from
any other host, and the security headers. Screenshots of each page go to --out, once in a
phone-sized viewport and once in a desktop one.

Every check prints PASS or FAIL; the last line is `browser: N passed, N failed`. Exit status 0
only when nothing failed.

How the two things a reader should doubt are made sound:

* JavaScript really is off. Chromium's content setting
  `profile.managed_default_content_settings.javascript = 2` is applied through prefs. ChromeDriver's
  own execute_script still works with it (it goes through the DevTools protocol, not the page), so
  it proves nothing. Instead the test loads a `data:` page (no server, no CSP) holding an inline
  script that would rewrite a paragraph, plus a <noscript> block: JavaScript is off exactly when the
  paragraph keeps its text and the <noscript> content is rendered as elements (the HTML parser
  only does that when scripting is disabled). The server's pages are also checked to carry no
  <script> at all.

* TLS is not blind. Instead of `--ignore-certificate-errors` (which accepts any certificate) the
  browser gets `--ignore-certificate-errors-spki-list=<sha256 of the server certificate's public
  key>` (the first certificate in the deployment's tls-cert.pem), so it accepts that one key only.
  Then three checks: Python's ssl module verifies the server with the deployment's own anchor as
  the only one (tls-ca.pem beside tls-cert.pem, or tls-cert.pem itself for a self-signed
  deployment; hostname 127.0.0.1) and compares the presented certificate byte for byte; the
  browser's own view of the certificate (DevTools Network.getCertificate) must be the same bytes;
  and a second browser without the pin must refuse the page (interstitial), so the pin is what
  makes the page load.
"""

from __future__ import annotations

import argparse
import base64
import datetime
import hashlib
import json
import os
import re
import socket
import ssl
import sys
import time
import traceback
import uuid
import subprocess
import shutil
from pathlib import Path
from urllib.parse import urlsplit

# Selenium Manager must never run: it would try to download browsers/drivers and send usage
# statistics. Paths are always given explicitly; this is a second guard.
os.environ.setdefault("SE_AVOID_STATS", "true")
os.environ.setdefault("SE_OFFLINE", "true")

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import TimeoutException, WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DEFAULT_PHOTO = REPO / "Tests/TiplineCoreTests/Fixtures/baseline.jpg"

PHONE = {"width": 412, "height": 915, "deviceScaleFactor": 1, "mobile": True}
DESKTOP = {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}

REFERENCE_RE = re.compile(r"^GY-\d{4}-\d{6}$")
RECEIPT_RE = re.compile(r"^\d{4} \d{4} \d{4} \d{4} \d{4} \d{4}$")

# Words the pages must show (the server's WebStrings and the demo policies).
ZH = {
    "title": '贵阳市"扫黄打非"举报平台',
    "category": "举报类别",
    "district": "发生地区",
    "submit": "提交举报",
    "done_title": "举报已受理",
    "receipt_warning": "请立即抄写或保存回执码",
    "accepted": "已受理",
    "unknown_receipt": "没有找到与该回执码对应的举报",
    "message_sent": "补充信息已发送。",
    "reward_pending": "核查结束后确定",
    "errors_title": "请修改以下问题后重新提交",
    "centre_name": '南明区"扫黄打非"举报中心',
    "centre_address": "南明区文化市场综合执法大队",
    "accepted_explanation": "举报中心已收到您的举报，正在审查内容并安排核查。",
    "files_added": "已补充 1 张照片",
}
EN = {
    "title": "Guiyang Anti-Pornography and Illegal Publications Tip-line",
    "category": "Category",
    "district": "District",
    "description": "What happened",
    "submit": "Send tip",
    "category_label": "Illegal publishing, printing or distribution of books, newspapers or periodicals",
    "district_label": "Nanming District",
}
CATEGORY_ID, CATEGORY_ZH = "illegal-publication", "非法出版"
DISTRICT_ID, DISTRICT_ZH = "nanming", "南明区"


class Failed(Exception):
    """A check's assertion failed (the message says what was seen)."""


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise Failed(message)


ZH_FROM_CENTRE = "举报中心"


class Run:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.base = args.url.rstrip("/")
        split = urlsplit(self.base)
        self.host, self.port = split.hostname, split.port or 443
        self.netloc = f"{self.host}:{self.port}"
        self.out = Path(args.out)
        self.out.mkdir(parents=True, exist_ok=True)
        # tls-cert.pem is the server's chain: the server certificate first (then, in deployments
        # with a local CA, that CA). The trust anchor is tls-ca.pem beside it when there is one.
        chain = re.findall(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----",
                           Path(args.cert).read_text(), re.S)
        if not chain:
            raise SystemExit(f"no certificate in {args.cert}")
        self.cert_der = ssl.PEM_cert_to_DER_cert(chain[0])
        sibling = Path(args.cert).with_name("tls-ca.pem")
        self.anchor = args.ca or (str(sibling) if sibling.is_file() else args.cert)
        self.results: list[tuple[str, bool, str]] = []
        self.events: list[dict] = []          # DevTools Network.* events, all steps
        self.pages_seen: dict[str, str] = {}  # name -> page source, for the <script> check
        self.tip: dict[str, str] = {}         # reference, receipt, canaries of the submitted tip
        self.driver: webdriver.Chrome | None = None

    # ------------------------------------------------------------------ bookkeeping

    def check(self, name: str, fn) -> bool:
        started = time.monotonic()
        try:
            fn()
        except Failed as error:
            self.results.append((name, False, str(error)))
            print(f"FAIL  {name}: {error}", flush=True)
            return False
        except Exception as error:  # a crash in a step is that step's failure
            detail = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
            self.results.append((name, False, detail))
            print(f"FAIL  {name}: {detail}", flush=True)
            traceback.print_exc(limit=3, file=sys.stderr)
            return False
        self.results.append((name, True, ""))
        print(f"PASS  {name} ({time.monotonic() - started:.1f}s)", flush=True)
        return True

    def note(self, text: str) -> None:
        print(f"NOTE  {text}", flush=True)

    # ------------------------------------------------------------------ browser

    def new_driver(self, *, pinned: bool, performance_log: bool) -> webdriver.Chrome:
        options = webdriver.ChromeOptions()
        options.binary_location = self.args.chromium
        options.add_argument("--headless=new")
        options.add_argument("--no-sandbox")  # we run as root
        options.add_argument("--disable-dev-shm-usage")
        options.add_argument("--window-size=1280,900")
        options.add_argument("--lang=zh-CN")
        options.add_argument("--no-first-run")
        options.add_argument("--disable-background-networking")
        options.add_argument("--disable-component-update")
        options.add_argument("--disable-sync")
        if pinned:
            options.add_argument(f"--ignore-certificate-errors-spki-list={spki_pin_of(self.cert_der)}")
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
        if performance_log:
            options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
        driver = webdriver.Chrome(options=options, service=Service(self.args.chromedriver))
        driver.set_page_load_timeout(30)
        return driver

    @property
    def d(self) -> webdriver.Chrome:
        assert self.driver is not None
        return self.driver

    def drain(self) -> None:
        """Moves the performance log (which the driver clears on read) into self.events."""
        for entry in self.d.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method", "").startswith("Network."):
                self.events.append(message)

    def document_response(self, path: str) -> dict:
        """The latest main-document response for `path` on the server (status, headers)."""
        self.drain()
        want = f"{self.base}{path}"
        for event in reversed(self.events):
            if event["method"] == "Network.responseReceived" and event["params"].get("type") == "Document":
                response = event["params"]["response"]
                if response["url"].split("#")[0] == want:
                    return response
        raise Failed(f"no document response for {path} in the performance log")

    def open(self, path: str) -> None:
        self.d.get(f"{self.base}{path}")
        try:
            WebDriverWait(self.d, 15).until(EC.presence_of_element_located((By.TAG_NAME, "footer")))
        except TimeoutException:
            raise Failed(f"{path} did not load a Tipline page (browser shows {self.d.title!r})") from None

    def submit_and_wait(self, button) -> None:
        """Clicks a submit button (a real click: no JavaScript is involved) and waits for the next page."""
        old = self.d.find_element(By.TAG_NAME, "html")
        button.click()
        WebDriverWait(self.d, 60).until(EC.staleness_of(old))
        WebDriverWait(self.d, 20).until(EC.presence_of_element_located((By.TAG_NAME, "footer")))

    def text(self, css: str) -> str:
        return self.d.find_element(By.CSS_SELECTOR, css).text.strip()

    def remember_page(self, name: str) -> None:
        self.pages_seen[name] = self.d.page_source

    def screenshot(self, name: str) -> None:
        """Full-page PNGs of the current page, phone-sized and desktop-sized."""
        try:
            for label, metrics in (("phone", PHONE), ("desktop", DESKTOP)):
                self.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
                layout = self.d.execute_cdp_cmd("Page.getLayoutMetrics", {})
                size = layout.get("cssContentSize") or layout["contentSize"]
                clip = {"x": 0, "y": 0, "width": max(metrics["width"], size["width"]),
                        "height": max(metrics["height"], size["height"]), "scale": 1}
                shot = self.d.execute_cdp_cmd("Page.captureScreenshot",
                                              {"format": "png", "captureBeyondViewport": True, "clip": clip})
                (self.out / f"{name}.{label}.png").write_bytes(base64.b64decode(shot["data"]))
        finally:
            self.d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    # ------------------------------------------------------------------ checks

    def check_tls_python(self) -> None:
        context = ssl.create_default_context(cafile=self.anchor)  # the deployment's anchor, nothing else
        with socket.create_connection((self.host, self.port), timeout=10) as raw:
            with context.wrap_socket(raw, server_hostname=self.host) as tls:
                presented = tls.getpeercert(binary_form=True)
                version = tls.version()
        expect(presented == self.cert_der,
               "the server presented a different certificate than the first one in the deployment's tls-cert.pem")
        expect(version in ("TLSv1.2", "TLSv1.3"), f"negotiated {version}")

    def check_tls_browser(self) -> None:
        self.open("/")
        answer = self.d.execute_cdp_cmd("Network.getCertificate", {"origin": self.base})
        chain = [base64.b64decode(item) for item in answer.get("tableNames", [])]
        expect(bool(chain), "the browser reports no certificate for the origin")
        expect(chain[0] == self.cert_der, "the browser saw a different certificate than the deployment's")

    def check_tls_unpinned_browser_refuses(self) -> None:
        plain = self.new_driver(pinned=False, performance_log=False)
        try:
            try:
                plain.get(f"{self.base}/")
            except WebDriverException:
                return  # refused outright: fine
            fields = plain.find_elements(By.NAME, "description")
            expect(not fields, f"a browser without the pin showed the form (title {plain.title!r}): "
                               "the certificate check would be blind")
        finally:
            plain.quit()

    def check_javascript_off(self) -> None:
        probe = ("data:text/html;charset=utf-8,<p id=probe>script-did-not-run</p>"
                 "<script>document.getElementById('probe').textContent='script-ran'</script>"
                 "<noscript><p id=ns>noscript-rendered</p></noscript>")
        self.d.get(probe)
        expect(self.text("#probe") == "script-did-not-run", "an inline script ran: JavaScript is enabled")
        expect(self.d.find_elements(By.ID, "ns"), "<noscript> content was not rendered: scripting is enabled")

    def check_form_zh(self) -> None:
        self.open("/")
        self.remember_page("form-zh")
        expect(self.d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN",
               "<html lang> is not zh-CN")
        expect(self.text("h1") == ZH["title"], f"title is {self.text('h1')!r}")
        form = self.d.find_element(By.CSS_SELECTOR, "form[action^='/report']")
        expect(form.get_attribute("method").lower() == "post", "the form is not POST")
        expect(form.get_attribute("enctype") == "multipart/form-data", "the form is not multipart")
        categories = {o.get_attribute("value"): o.text for o in
                      self.d.find_elements(By.CSS_SELECTOR, "#f-category option")}
        expect(categories.get(CATEGORY_ID, "").startswith(CATEGORY_ZH),
               f"no {CATEGORY_ZH} category; options: {list(categories.values())[:4]}")
        districts = {o.get_attribute("value"): o.text for o in
                     self.d.find_elements(By.CSS_SELECTOR, "#f-district option")}
        expect(districts.get(DISTRICT_ID) == DISTRICT_ZH, f"no {DISTRICT_ZH}; options: {list(districts.values())}")
        labels = [label.text for label in self.d.find_elements(By.TAG_NAME, "label")]
        for word in (ZH["category"], ZH["district"]):
            expect(any(word in label for label in labels), f"label {word} missing")
        expect(self.text("button[type=submit]") == ZH["submit"], "submit button text")
        for name in ("description", "evidence", "occurred_at", "reporter_name", "reporter_phone", "wants_reward"):
            expect(self.d.find_elements(By.NAME, name), f"field {name} missing")
        expect(self.document_response("/")["status"] == 200, "GET / did not answer 200")
        self.screenshot("01-form-zh")

    def check_form_en(self) -> None:
        self.open("/?lang=en")
        self.remember_page("form-en")
        expect(self.d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en", "<html lang> is not en")
        expect(self.text("h1") == EN["title"], f"title is {self.text('h1')!r}")
        labels = [label.text for label in self.d.find_elements(By.TAG_NAME, "label")]
        for word in (EN["category"], EN["district"], EN["description"]):
            expect(any(label.startswith(word) for label in labels), f"label {word!r} missing; labels {labels[:5]}")
        expect(self.text("button[type=submit]") == EN["submit"], "submit button text")
        expect(self.d.find_element(By.CSS_SELECTOR, f"#f-category option[value='{CATEGORY_ID}']").text
               == EN["category_label"], "category not in English")
        expect(self.d.find_element(By.CSS_SELECTOR, f"#f-district option[value='{DISTRICT_ID}']").text
               == EN["district_label"], "district not in English")
        action = self.d.find_element(By.TAG_NAME, "form").get_attribute("action")
        expect(action.endswith("/report?lang=en"), f"the English form posts to {action}")
        self.screenshot("02-form-en")

    def check_submit(self) -> None:
        photo = Path(self.args.photo).resolve()
        expect(photo.is_file(), f"photo fixture {photo} missing")
        run_id = uuid.uuid4().hex[:12]
        self.tip = {"description_canary": f"DESC-CANARY-{run_id}", "name_canary": f"NAME-CANARY-{run_id}",
                    "phone_canary": f"PHONE-CANARY-{run_id}"}
        self.open("/")
        Select(self.d.find_element(By.ID, "f-category")).select_by_value(CATEGORY_ID)
        Select(self.d.find_element(By.ID, "f-district")).select_by_value(DISTRICT_ID)
        self.d.find_element(By.ID, "f-location").send_keys("南明区某书店")
        # Issue 13 item 11: the time as people write it (China time).
        self.d.find_element(By.ID, "f-occurred_at").send_keys("2026年5月1日 14:00")
        self.d.find_element(By.ID, "f-description").send_keys(
            f"浏览器测试：书店出售非法出版物。{self.tip['description_canary']}")
        self.d.find_element(By.ID, "f-evidence").send_keys(str(photo))
        self.d.find_element(By.ID, "f-name").send_keys(self.tip["name_canary"])
        self.d.find_element(By.ID, "f-phone").send_keys(self.tip["phone_canary"])
        reward = self.d.find_element(By.ID, "f-wants_reward")
        if not reward.is_selected():
            reward.click()
        expect(reward.is_selected(), "wants_reward could not be ticked")
        self.submit_and_wait(self.d.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        self.remember_page("receipt")
        response = self.document_response("/report")
        expect(response["status"] == 201, f"POST /report answered {response['status']}, want 201")
        expect(self.text("h2") == ZH["done_title"], f"heading is {self.text('h2')!r}")
        reference = self.text("dd.reference")
        receipt = self.text("dd.receipt")
        expect(REFERENCE_RE.match(reference) is not None, f"reference {reference!r}")
        expect(RECEIPT_RE.match(receipt) is not None, f"receipt {receipt!r}")
        expect(ZH["receipt_warning"] in self.text(".warning"), "the write-it-down warning is missing")
        # Issue 13 item 12: the proof shows what it covers and the exact statement signed.
        statement = self.d.find_element(By.ID, "proof-statement").get_attribute("textContent")
        expect(statement.startswith(f"tipline:v1:proof:{reference}:"), f"proof statement {statement!r}")
        expect(statement.endswith(":" + self.d.find_element(By.ID, "proof-hash").get_attribute("textContent")),
               "the statement does not end with the submission hash shown")
        expect("+08:00" in self.d.find_element(By.ID, "proof-time").get_attribute("textContent"), "no China time with offset")
        expect(self.d.find_element(By.ID, "proof-key").get_attribute("href").endswith("/server-key.pem"), "no link to the server key")
        source = self.d.page_source
        for key in ("description_canary", "name_canary", "phone_canary"):
            expect(self.tip[key] not in source, f"the receipt page echoes the {key.split('_')[0]}")
        # The request really was multipart with the photo in it.
        posts = [e for e in self.events if e["method"] == "Network.requestWillBeSent"
                 and e["params"]["request"]["url"].startswith(f"{self.base}/report")
                 and e["params"]["request"]["method"] == "POST"]
        expect(bool(posts), "no POST /report in the performance log")
        content_type = {k.lower(): v for k, v in posts[-1]["params"]["request"].get("headers", {}).items()}
        expect(content_type.get("content-type", "").startswith("multipart/form-data"),
               f"the form was sent as {content_type.get('content-type')!r}")
        self.tip.update(reference=reference, receipt=receipt)
        self.screenshot("03-receipt")

    def check_followup(self) -> None:
        expect("receipt" in self.tip, "no receipt (the submission step failed)")
        self.open("/followup")
        self.remember_page("followup-form")
        self.d.find_element(By.ID, "f-receipt").send_keys(self.tip["receipt"])
        self.submit_and_wait(self.d.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        expect(self.document_response("/followup")["status"] == 200, "POST /followup did not answer 200")
        expect(self.text("dd.reference") == self.tip["reference"], f"reference {self.text('dd.reference')!r}")
        expect(self.text(".status") == ZH["accepted"], f"status {self.text('.status')!r}")
        expect(ZH["reward_pending"] in self.d.find_element(By.TAG_NAME, "dl").text,
               "the reward line (wants_reward ticked) is missing")
        message = f"补充：店内还有库存。MSG-CANARY-{uuid.uuid4().hex[:12]}"
        self.d.find_element(By.ID, "f-message").send_keys(message)
        self.submit_and_wait(self.d.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        self.remember_page("followup-thread")
        expect(self.document_response("/followup")["status"] == 200, "sending a message did not answer 200")
        expect(self.text(".notice") == ZH["message_sent"], "no 'message sent' notice")
        thread = [li.text for li in self.d.find_elements(By.CSS_SELECTOR, "ol.thread li.reporter .text")]
        expect(message in thread, f"the message is not in the thread: {thread}")
        expect(self.text("dd.reference") == self.tip["reference"], "the thread page lost the reference")
        source = self.d.page_source
        for key in ("description_canary", "name_canary", "phone_canary"):
            expect(self.tip[key] not in source, f"the follow-up page shows the {key.split('_')[0]}")
        self.screenshot("04-followup-thread")

    def check_centre_reply(self) -> None:
        """A triage officer of the tip's centre replies with the real tipline-admin (sealed on the
        officer's side to the reporter key and the centres); the reporter reads it in follow-up."""
        args = self.args
        if not (args.admin_bin and args.admin_url and args.deployment):
            raise RuntimeError("pass --admin-bin, --admin-url and --deployment")
        # The officer's own profile and key agent never interfere; output in English for the checks.
        env = dict(os.environ, TIPLINE_PASSPHRASE="tipline-demo", TIPLINE_LANG="en",
                   TIPLINE_CONFIG=str(self.out / "no-profile.json"), TIPLINE_AGENT_SOCKET=str(self.out / "no-agent" / "agent.sock"))
        workstation = self.out / "workstation"
        shutil.rmtree(workstation, ignore_errors=True)
        name = "browser-triage"

        def admin(*arguments: str) -> str:
            done = subprocess.run([args.admin_bin, *arguments], env=env, capture_output=True, text=True, timeout=120)
            expect(done.returncode == 0, f"tipline-admin {arguments[0]} {arguments[1]} failed: {done.stderr.strip()}")
            return done.stdout

        admin("staff", "enroll", "--name", name, "--role", "triage", "--centre", DISTRICT_ID, "--out", str(workstation))
        # The demo's first administrator approves (there is no default staff key: issue 13).
        admin_key = os.path.join(args.deployment, "holders", "staff-admin.key.pem")
        admin("staff", "approve", "--deployment", args.deployment, "--server", args.admin_url, "--key", admin_key,
              str(workstation / f"staff-{name}.enrol.json"))
        reply = f"举报中心回复：已安排核查。REPLY-{uuid.uuid4().hex[:10]}"
        admin("tips", "reply", self.tip["reference"], "--message", reply, "--deployment", args.deployment,
              "--server", args.admin_url, "--key", str(workstation / f"staff-{name}.key.pem"))

        self.open("/followup")
        self.d.find_element(By.ID, "f-receipt").send_keys(self.tip["receipt"])
        self.submit_and_wait(self.d.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        self.remember_page("followup-reply")
        centre = [li for li in self.d.find_elements(By.CSS_SELECTOR, "ol.thread li.centre")]
        texts = [li.find_element(By.CSS_SELECTOR, ".text").text for li in centre]
        expect(reply in texts, f"the centre's reply is not in the thread: {texts}")
        expect(any(ZH_FROM_CENTRE in li.find_element(By.CSS_SELECTOR, ".meta").text for li in centre),
               "the reply is not marked as from the reporting centre")
        self.screenshot("04b-followup-reply")

    def admin_cli(self, *arguments: str) -> str:
        """The real tipline-admin against the demo deployment (no profile, no agent, English output)."""
        args = self.args
        if not (args.admin_bin and args.admin_url and args.deployment):
            raise RuntimeError("pass --admin-bin, --admin-url and --deployment")
        env = dict(os.environ, TIPLINE_PASSPHRASE="tipline-demo", TIPLINE_LANG="en",
                   TIPLINE_CONFIG=str(self.out / "no-profile.json"), TIPLINE_AGENT_SOCKET=str(self.out / "no-agent" / "agent.sock"))
        done = subprocess.run([args.admin_bin, *arguments], env=env, capture_output=True, text=True, timeout=120)
        expect(done.returncode == 0, f"tipline-admin {' '.join(arguments[:2])} failed: {done.stderr.strip()}")
        return done.stdout

    def check_informant(self) -> None:
        """Issue 15: a registered informant opens /informant with the code in the real browser (no JS),
        files a report with a photo, and reads the handler's reply sent with the real tipline-admin."""
        args = self.args
        workstation = self.out / "informant-workstation"
        shutil.rmtree(workstation, ignore_errors=True)
        connect = ["--deployment", args.deployment, "--server", args.admin_url]
        admin_key = os.path.join(args.deployment, "holders", "staff-admin.key.pem")
        # A handler is a privileged role: a second administrator (the sole administrator's one single
        # approval) gives the second approval.
        for name, role, extra in (("browser-admin2", "admin", []), ("browser-handler", "handler", ["--unit", "nanming-office"])):
            self.admin_cli("staff", "enroll", "--name", name, "--role", role, "--centre", "city" if role == "admin" else DISTRICT_ID,
                           "--out", str(workstation), *extra)
            request = str(workstation / f"staff-{name}.enrol.json")
            self.admin_cli("staff", "approve", *connect, "--key", admin_key, request)
            if role == "handler":
                self.admin_cli("staff", "approve", *connect, "--key", str(workstation / "staff-browser-admin2.key.pem"), request)
        handler = [*connect, "--key", str(workstation / "staff-browser-handler.key.pem")]
        identity = workstation / "identity.json"
        identity_canary = f"INFORMANT-CANARY-{uuid.uuid4().hex[:8]}"
        identity.write_text(json.dumps({"name": identity_canary, "phone": "13800002222"}), encoding="utf-8")
        added = json.loads(self.admin_cli("network", "informant", "add", "--areas", "520102016000", "--source-role", "grid-worker",
                                          "--review-due", "2027-06-30", "--identity-file", str(identity), "--json", *handler))
        identity.unlink()
        code, pseudonym = added["code"], added["pseudonym"]

        self.open("/informant")
        expect(self.d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN", "the informant page is not zh-CN")
        self.d.find_element(By.ID, "f-code").send_keys(code)
        self.submit_and_wait(self.d.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        expect(self.text("#inf-pseudonym") == pseudonym, "the page does not show the informant's pseudonym")
        text = f"新华路街道某书店出售盗版教辅。CANARY-{uuid.uuid4().hex[:8]}"
        self.d.find_element(By.ID, "f-text").send_keys(text)
        self.d.find_element(By.ID, "f-evidence").send_keys(str(Path(args.photo).resolve()))
        self.submit_and_wait(self.d.find_element(By.ID, "inf-submit"))
        self.remember_page("informant-filed")
        notice = self.text("#inf-notice")
        match = re.search(r"IR-\d{4}-\d{6}", notice)
        expect(match is not None, f"no report reference in the notice: {notice!r}")
        reference = match.group(0)
        self.screenshot("09-informant-report")

        reply = f"区县办回复：已收到，感谢。REPLY-{uuid.uuid4().hex[:8]}"
        content_key = os.path.join(args.deployment, "holders", "unit-nanming-office-content.key.pem")
        self.admin_cli("info", "reply", reference, "--text", reply, "--content-key", content_key, *handler)
        self.open("/informant")
        self.d.find_element(By.ID, "f-code").send_keys(code)
        self.submit_and_wait(self.d.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        replies = [element.text for element in self.d.find_elements(By.CSS_SELECTOR, ".inf-reply .text")]
        expect(reply in replies, f"the handler's reply is not on the informant's page: {replies}")
        expect(identity_canary not in self.d.page_source, "the informant page shows the identity")
        self.screenshot("09b-informant-reply")
        self.informant = {"code": code, "report": reference, "handler": handler, "workstation": workstation}

    def check_informant_voucher(self) -> None:
        """Issue 17: the informant's report becomes an item, the city adopts it, an editor proposes the
        remuneration and an accountant approves it; the voucher code shows on the informant's own page in
        the real browser (no JS), and a cashier pays it once with the real tipline-admin."""
        expect(hasattr(self, "informant"), "no informant (check 9 failed)")
        args, informant = self.args, self.informant
        workstation = informant["workstation"]
        connect = ["--deployment", args.deployment, "--server", args.admin_url]
        admin_key = os.path.join(args.deployment, "holders", "staff-admin.key.pem")
        for name, role, extra in (("browser-editor9", "editor", ["--unit", "city-office"]), ("browser-cashier", "accountant", [])):
            self.admin_cli("staff", "enroll", "--name", name, "--role", role, "--centre", "city", "--out", str(workstation), *extra)
            request = str(workstation / f"staff-{name}.enrol.json")
            self.admin_cli("staff", "approve", *connect, "--key", admin_key, request)
            if role == "accountant":
                self.admin_cli("staff", "approve", *connect, "--key", str(workstation / "staff-browser-admin2.key.pem"), request)
        district_key = ["--content-key", os.path.join(args.deployment, "holders", "unit-nanming-office-content.key.pem")]
        city_key = ["--content-key", os.path.join(args.deployment, "holders", "unit-city-office-content.key.pem")]
        editor = [*connect, "--key", str(workstation / "staff-browser-editor9.key.pem")]
        cashier = [*connect, "--key", str(workstation / "staff-browser-cashier.key.pem")]
        made = self.admin_cli("info", "new", "--from-report", informant["report"], "--kind", "dynamic", "--sub-kind", "other",
                              "--title", "书店检查", "--not-classified", *informant["handler"], *district_key)
        item = re.search(r"XX-\d{4}-\d{6}", made)
        expect(item is not None, f"no item reference in {made!r}")
        self.admin_cli("info", "submit", item.group(0), *informant["handler"], *district_key)
        self.admin_cli("info", "accept", item.group(0), *editor, *city_key)
        self.admin_cli("info", "adopt", item.group(0), "--level", "kuaibao", *editor, *city_key)
        self.admin_cli("ledger", "fund", "--amount", "500", "--memo", "信息稿酬", "--into", "information", *cashier)
        proposed = self.admin_cli("ledger", "remuneration", "propose", item.group(0), *editor)
        number = re.search(r"#(\d+)", proposed)
        expect(number is not None, f"no payment number in {proposed!r}")
        self.admin_cli("ledger", "remuneration", "approve", number.group(1), *cashier)

        self.open("/informant")
        self.d.find_element(By.ID, "f-code").send_keys(informant["code"])
        self.submit_and_wait(self.d.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        self.remember_page("informant-voucher")
        codes = [element.text for element in self.d.find_elements(By.CSS_SELECTOR, "#inf-vouchers code.voucher-code")]
        expect(len(codes) == 1 and re.fullmatch(r"[0-9A-Z]{5}(-[0-9A-Z]{5}){3}", codes[0]) is not None,
               f"no voucher code on the informant's page: {codes}")
        expect("¥50.00" in self.text("#inf-vouchers"), "the voucher's amount is not shown")
        self.screenshot("09c-informant-voucher")
        paid = self.admin_cli("ledger", "redeem", codes[0], *cashier)
        expect("paid" in paid, f"the cashier could not pay the code: {paid!r}")
        done = subprocess.run([args.admin_bin, "ledger", "redeem", codes[0], *cashier], capture_output=True, text=True, timeout=120,
                              env=dict(os.environ, TIPLINE_PASSPHRASE="tipline-demo", TIPLINE_LANG="en",
                                       TIPLINE_CONFIG=str(self.out / "no-profile.json"),
                                       TIPLINE_AGENT_SOCKET=str(self.out / "no-agent" / "agent.sock")))
        expect(done.returncode != 0, "a voucher code paid twice")

    def check_reports_render(self) -> None:
        """Issue 16: a quick report (bulletin preview) and the statistics report, written by the real
        tipline-admin, render in Chromium from file:// with no request beyond the file and print to PDF."""
        args = self.args
        workstation = self.out / "desk-workstation"
        shutil.rmtree(workstation, ignore_errors=True)
        connect = ["--deployment", args.deployment, "--server", args.admin_url]
        admin_key = os.path.join(args.deployment, "holders", "staff-admin.key.pem")
        for name, role, centre, unit in (("browser-liaison", "liaison", DISTRICT_ID, "nanming-office"), ("browser-editor", "editor", "city", "city-office")):
            self.admin_cli("staff", "enroll", "--name", name, "--role", role, "--centre", centre, "--unit", unit, "--out", str(workstation))
            self.admin_cli("staff", "approve", *connect, "--key", admin_key, str(workstation / f"staff-{name}.enrol.json"))
        def as_(name: str, unit: str) -> list[str]:
            return [*connect, "--key", str(workstation / f"staff-{name}.key.pem"),
                    "--content-key", os.path.join(args.deployment, "holders", f"unit-{unit}-content.key.pem")]
        liaison, editor = as_("browser-liaison", "nanming-office"), as_("browser-editor", "city-office")
        body = workstation / "item.txt"
        body.write_text("南明区开展校园周边出版物专项检查，收缴非法出版物 320 册。\n检查覆盖学校周边书店 46 家。", encoding="utf-8")
        china = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))) - datetime.timedelta(hours=1)
        written = self.admin_cli("info", "new", "--kind", "dynamic", "--sub-kind", "campaigns", "--title", "校园周边出版物专项检查",
                                 "--body", str(body), "--event-at", china.strftime("%Y-%m-%d %H:%M"), "--not-classified", *liaison)
        reference = re.search(r"XX-\d{4}-\d{6}", written)
        expect(reference is not None, f"no item reference in {written!r}")
        self.admin_cli("info", "submit", reference.group(0), *liaison)
        self.admin_cli("info", "accept", reference.group(0), *editor)
        issue = re.search(r"KB-\d{4}-\d+", self.admin_cli("bulletin", "new", "--type", "kuaibao", *editor))
        expect(issue is not None, "no issue id")
        self.admin_cli("bulletin", "add", issue.group(0), reference.group(0), *editor)
        bulletin = self.out / "bulletin.html"
        self.admin_cli("bulletin", "preview", issue.group(0), "--out", str(bulletin), *editor)
        statistics = self.out / "statistics.html"
        self.admin_cli("stats", "--html", str(statistics), *connect, "--key", str(self.out / "workstation" / "staff-browser-triage.key.pem"))
        for name, path, needle in (("10-bulletin", bulletin, "快报"), ("11-statistics", statistics, "svg")):
            self.drain()
            self.events.clear()
            self.d.get(path.resolve().as_uri())
            WebDriverWait(self.d, 15).until(EC.presence_of_element_located((By.TAG_NAME, "body")))
            expect(needle in self.d.page_source, f"{path.name} did not render ({needle!r} missing)")
            self.screenshot(name)
            pdf = base64.b64decode(self.d.print_page())
            expect(pdf.startswith(b"%PDF") and len(pdf) > 2000, f"{path.name} did not print to PDF ({len(pdf)} bytes)")
            (self.out / f"{name}.pdf").write_bytes(pdf)
            self.drain()
            urls = [e["params"]["request"]["url"] for e in self.events if e["method"] == "Network.requestWillBeSent"]
            foreign = [u for u in urls if not (u.startswith("file:") or u.startswith("data:"))]
            expect(not foreign, f"{path.name} made requests: {foreign[:5]}")

    def check_followup_view_and_add_file(self) -> None:
        """Issue 13 item 10: follow-up names the centre handling the tip with its public address and
        says what the status means; the reporter adds a photo after submitting (no JavaScript)."""
        expect("receipt" in self.tip, "no receipt (the submission step failed)")
        photo = Path(self.args.photo).resolve()
        self.open("/followup")
        self.d.find_element(By.ID, "f-receipt").send_keys(self.tip["receipt"])
        self.submit_and_wait(self.d.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        expect(self.document_response("/followup")["status"] == 200, "POST /followup did not answer 200")
        expect(self.text("#centre-name") == ZH["centre_name"], f"centre {self.text('#centre-name')!r}")
        expect(ZH["centre_address"] in self.text("#centre-address"), f"address {self.text('#centre-address')!r}")
        expect(self.text("#status-explanation") == ZH["accepted_explanation"],
               f"status explanation {self.text('#status-explanation')!r}")
        expect(self.text("#files-count") == "1 个", f"files {self.text('#files-count')!r}")
        self.screenshot("04c-followup-view")
        self.d.find_element(By.ID, "f-add-evidence").send_keys(str(photo))
        self.submit_and_wait(self.d.find_element(By.CSS_SELECTOR, "form[action^='/followup/evidence'] button[type=submit]"))
        self.remember_page("followup-added-file")
        response = self.document_response("/followup/evidence")
        expect(response["status"] == 200, f"POST /followup/evidence answered {response['status']}, want 200")
        expect(ZH["files_added"] in self.text(".notice"), f"notice {self.text('.notice')!r}")
        expect(self.text("#files-count") == "2 个", f"files after adding {self.text('#files-count')!r}")
        expect(self.text("dd.reference") == self.tip["reference"], "the page lost the reference")
        posts = [e for e in self.events if e["method"] == "Network.requestWillBeSent"
                 and e["params"]["request"]["url"].startswith(f"{self.base}/followup/evidence")]
        expect(bool(posts), "no POST /followup/evidence in the performance log")
        expect("receipt" not in posts[-1]["params"]["request"]["url"].split("/followup/evidence", 1)[1],
               "the receipt went into the URL")
        self.screenshot("04d-followup-added-file")

    def check_wrong_receipt(self) -> None:
        wrong = "0000 0000 0000 0000"
        expect(self.tip.get("receipt") != wrong, "improbable: the real receipt is all zeros")
        self.open("/followup")
        self.d.find_element(By.ID, "f-receipt").send_keys(wrong)
        self.submit_and_wait(self.d.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        self.remember_page("followup-wrong")
        status = self.document_response("/followup")["status"]
        expect(status == 404, f"a wrong receipt answered {status}, want 404")
        expect(ZH["unknown_receipt"] in self.text(".errors"), "the not-found message is missing")
        expect(not self.d.find_elements(By.CSS_SELECTOR, "ol.thread"), "a thread is shown for a wrong receipt")
        expect(not self.d.find_elements(By.CSS_SELECTOR, "dd.reference"), "a reference is shown for a wrong receipt")
        expect(self.d.find_elements(By.ID, "f-receipt"), "the receipt form is not offered again")
        self.screenshot("05-followup-wrong-receipt")

    def check_validation_error(self) -> None:
        description = f"浏览器测试：时间写错了。{uuid.uuid4().hex[:12]}\n第二行保留。"
        self.open("/")
        Select(self.d.find_element(By.ID, "f-category")).select_by_value(CATEGORY_ID)
        Select(self.d.find_element(By.ID, "f-district")).select_by_value(DISTRICT_ID)
        self.d.find_element(By.ID, "f-occurred_at").send_keys("yesterday")
        self.d.find_element(By.ID, "f-description").send_keys(description)
        self.submit_and_wait(self.d.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        self.remember_page("validation-error")
        status = self.document_response("/report")["status"]
        expect(status == 400, f"an invalid occurred_at answered {status}, want 400")
        errors = self.d.find_element(By.CSS_SELECTOR, "section.errors")
        expect(ZH["errors_title"] in errors.text, "the error summary heading is missing")
        links = [a.get_attribute("href") for a in errors.find_elements(By.TAG_NAME, "a")]
        expect(any(href.endswith("#f-occurred_at") for href in links), f"no error linked to the field: {links}")
        expect(len(links) == 1, f"more errors than the one expected: {errors.text!r}")
        kept = self.d.find_element(By.ID, "f-description").get_attribute("value")
        expect(kept.replace("\r\n", "\n") == description, f"description not preserved: {kept!r}")
        expect(self.d.find_element(By.ID, "f-occurred_at").get_attribute("value") == "yesterday",
               "the wrong value is not shown for correction")
        # Issue 13 item 11: the message sits beside the field, which is marked invalid.
        beside = self.d.find_elements(By.ID, "e-occurred_at")
        expect(bool(beside) and beside[0].text.strip() != "", "no message beside the date field")
        expect(self.d.find_element(By.ID, "f-occurred_at").get_attribute("aria-invalid") == "true", "the field is not marked invalid")
        expect(Select(self.d.find_element(By.ID, "f-category")).first_selected_option.get_attribute("value")
               == CATEGORY_ID, "category selection lost")
        expect(Select(self.d.find_element(By.ID, "f-district")).first_selected_option.get_attribute("value")
               == DISTRICT_ID, "district selection lost")
        self.screenshot("06-validation-error")

    def check_no_other_hosts(self) -> None:
        self.drain()
        urls = [e["params"]["request"]["url"] for e in self.events if e["method"] == "Network.requestWillBeSent"]
        expect(len(urls) >= 10, f"only {len(urls)} requests logged: the performance log is not working")
        foreign = sorted({u for u in urls if not u.startswith("data:")
                          and (urlsplit(u).scheme != "https" or urlsplit(u).netloc != self.netloc)})
        expect(not foreign, f"requests to other hosts: {foreign[:5]}")
        scripts = [name for name, source in self.pages_seen.items() if re.search(r"<script\b", source, re.I)]
        expect(not scripts, f"pages with <script>: {scripts}")
        self.note(f"{len(urls)} requests, all to https://{self.netloc} or data: "
                  f"({len({urlsplit(u).path for u in urls if not u.startswith('data:')})} distinct paths)")

    def check_security_headers(self) -> None:
        self.drain()
        extra = {e["params"]["requestId"]: e["params"].get("headers", {}) for e in self.events
                 if e["method"] == "Network.responseReceivedExtraInfo"}
        problems, documents = [], 0
        for event in self.events:
            if event["method"] != "Network.responseReceived":
                continue
            response = event["params"]["response"]
            if not response["url"].startswith(self.base):
                continue
            headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
            headers.update({k.lower(): v for k, v in extra.get(event["params"]["requestId"], {}).items()})
            where = f"{urlsplit(response['url']).path} ({event['params'].get('type')}, {response['status']})"
            if event["params"].get("type") == "Document":
                documents += 1
            csp = headers.get("content-security-policy", "")
            if "default-src 'none'" not in csp and "script-src 'none'" not in csp:
                problems.append(f"{where}: CSP {csp!r}")
            if "max-age=" not in headers.get("strict-transport-security", ""):
                problems.append(f"{where}: no Strict-Transport-Security")
            if "no-store" not in headers.get("cache-control", ""):
                problems.append(f"{where}: Cache-Control {headers.get('cache-control')!r}")
        expect(documents >= 8, f"only {documents} document responses seen")
        expect(not problems, "; ".join(problems[:6]))

    # ------------------------------------------------------------------ observations

    def observe(self) -> None:
        """Things worth telling a person that are not pass/fail: printed as NOTE lines.

        (The receipt page has no language link, so the receipt cannot be lost by switching
        language; the validation page's link goes to GET /?lang=…: IntakeEndToEndTests checks both.)"""
        return


def spki_pin_of(cert_der: bytes) -> str:
    """base64(SHA-256(SubjectPublicKeyInfo DER)) for --ignore-certificate-errors-spki-list.

    Walks the certificate's DER just far enough to find SubjectPublicKeyInfo, the 7th field of
    TBSCertificate (version [0] is present in every v3 certificate)."""
    def read(data: bytes, at: int) -> tuple[int, int, int]:  # (tag, start of content, end)
        tag, length, at = data[at], data[at + 1], at + 2
        if length & 0x80:
            count = length & 0x7F
            length, at = int.from_bytes(data[at:at + count], "big"), at + count
        return tag, at, at + length

    _, cert_start, _ = read(cert_der, 0)            # Certificate SEQUENCE
    _, tbs_start, tbs_end = read(cert_der, cert_start)  # TBSCertificate SEQUENCE
    at, index = tbs_start, 0
    while at < tbs_end:
        tag, start, end = read(cert_der, at)
        if index == 0 and tag != 0xA0:
            index = 1  # no explicit version: v1 certificate
        if index == 6:
            return base64.b64encode(hashlib.sha256(cert_der[at:end]).digest()).decode()
        at, index = end, index + 1
    raise ValueError("no SubjectPublicKeyInfo in the certificate")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the public listener, e.g. https://127.0.0.1:8443")
    parser.add_argument("--cert", required=True,
                        help="the deployment's public/tls-cert.pem (server certificate first, then any CA)")
    parser.add_argument("--ca", help="trust anchor for the Python check (default: tls-ca.pem beside --cert "
                                     "if present, else --cert itself)")
    parser.add_argument("--out", default=str(REPO / "scripts/out"), help="screenshot directory")
    parser.add_argument("--photo", default=str(DEFAULT_PHOTO), help="JPEG to attach (with EXIF GPS)")
    parser.add_argument("--admin-bin", help="the built tipline-admin (for the centre reply step)")
    parser.add_argument("--admin-url", help="the admin listener, e.g. https://127.0.0.1:8444")
    parser.add_argument("--deployment", help="the demo deployment directory")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    args = parser.parse_args()

    run = Run(args)
    print(f"browser test against {run.base} (trust anchor {run.anchor}, browser pinned to SPKI "
          f"{spki_pin_of(run.cert_der)}), screenshots in {run.out}", flush=True)
    run.check("TLS: server presents exactly the deployment certificate (Python ssl, verified)",
              run.check_tls_python)
    try:
        run.driver = run.new_driver(pinned=True, performance_log=True)
    except Exception as error:
        run.results.append(("start Chromium", False, str(error)))
        print(f"FAIL  start Chromium: {error}", flush=True)
    if run.driver is not None:
        try:
            run.check("TLS: the browser saw the same certificate (pinned by SPKI, not blind)", run.check_tls_browser)
            run.check("TLS: a browser without the pin refuses the page", run.check_tls_unpinned_browser_refuses)
            run.check("1a JavaScript is disabled in the browser (data: probe + <noscript>)", run.check_javascript_off)
            run.check("1b / renders the zh-CN form (lang, 非法出版, 南明区)", run.check_form_zh)
            run.check("2 /?lang=en shows English labels", run.check_form_en)
            run.check("3 no-JS submission with photo gives reference + 16-digit receipt", run.check_submit)
            run.check("4 /followup shows 已受理 + reference; a message appears in the thread", run.check_followup)
            run.check("4b a centre reply sent with tipline-admin shows in follow-up", run.check_centre_reply)
            run.check("4c follow-up shows the centre + address and the status explained; a photo added after submission",
                      run.check_followup_view_and_add_file)
            run.check("5 a wrong receipt shows the not-found page (404), no thread", run.check_wrong_receipt)
            run.check("9 an informant files a report with a photo at /informant and reads the handler's reply", run.check_informant)
            run.check("9c the informant's adopted report earns a voucher shown on /informant; a cashier pays it once",
                      run.check_informant_voucher)
            run.check("6 invalid occurred_at: field error, typed values kept (400)", run.check_validation_error)
            run.observe()
            run.check("7 every request went to the server only (no other host)", run.check_no_other_hosts)
            run.check("8 security headers (CSP, HSTS, Cache-Control no-store) on every response",
                      run.check_security_headers)
            run.check("10 the quick report and the statistics report render from file:// with no request and print to PDF",
                      run.check_reports_render)
        finally:
            run.d.quit()
    passed = sum(1 for _, ok, _ in run.results if ok)
    failed = len(run.results) - passed
    print(f"browser: {passed} passed, {failed} failed", flush=True)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
