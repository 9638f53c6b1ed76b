"""E-mail that goes out: queued in the caller's transaction, sent over real SMTP
(aiosmtpd on 127.0.0.1), delayed but never lost while the server is down."""

from __future__ import annotations

import datetime
import email
import email.policy
import os
import signal
import smtplib
import subprocess
import sys
import threading
import time
from collections import Counter
from email.message import EmailMessage

import pytest
from sqlalchemy import func, select

from smtp_server import free_port
from storefront import clock
from storefront.db import as_utc, db
from storefront.mail import send_due
from storefront.mail.operations import absolute_url, queue_mail
from storefront.mail.sender import MAX_ATTEMPTS, MailSender
from storefront.mail.tables import MailMessage

T0 = datetime.datetime(2026, 12, 5, 12, 0, tzinfo=datetime.UTC)


def _queue(app, to="buyer@example.com", subject="Your order", text="Hello", html=None, **kw):
    with app.app_context():
        message = queue_mail(
            to, subject, text, html, kind=kw.pop("kind", "test"), reference="A-1", **kw
        )
        db.session.commit()
        return message.id


def _message(app, message_id: int) -> MailMessage:
    with app.app_context():
        message = db.session.get(MailMessage, message_id)
        db.session.expunge(message)
        return message


def test_a_queued_mail_arrives_with_text_and_html(app, smtp_server):
    app.config["MAIL_SENDER"] = "Lumen & Loom <orders@lumen.example>"
    try:
        message_id = _queue(app, text="Thank you.", html="<p>Thank <b>you</b>.</p>")
        with app.app_context():
            assert send_due() == 1
    finally:
        app.config["MAIL_SENDER"] = None
    [received] = smtp_server.messages
    mime = received.message
    assert received.rcpt_tos == ["buyer@example.com"]
    assert received.mail_from == "orders@lumen.example"
    assert mime["Subject"] == "Your order"
    assert mime["From"].addresses[0].display_name == "Lumen & Loom"
    assert mime["To"] == "buyer@example.com"
    assert mime.get_content_type() == "multipart/alternative"
    assert received.part("plain").strip() == "Thank you."
    assert received.part("html").strip() == "<p>Thank <b>you</b>.</p>"
    assert mime["Date"]
    stored = _message(app, message_id)
    assert mime["Message-ID"] == stored.message_id
    assert stored.status == "sent" and stored.attempts == 1 and stored.sent_at is not None


def test_the_default_sender_is_the_shops_name(app, smtp_server):
    _queue(app)
    with app.app_context():
        send_due()
    [received] = smtp_server.messages
    [sender] = received.message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Lumen & Loom", "shop@localhost")


@pytest.mark.parametrize(
    "subject, body",
    [
        ("ご注文ありがとうございます（注文番号 A-1）", "お届け予定：5〜8日。合計 ¥12,300"),
        ("شكرًا لطلبك رقم A-1", "يصل طلبك خلال ٥–٨ أيام. المجموع ١٢٣٫٠٠ €"),
    ],
)
def test_japanese_and_arabic_arrive_intact(app, smtp_server, subject, body):
    _queue(app, subject=subject, text=body, html=f"<p>{body}</p>", locale="ja")
    with app.app_context():
        send_due()
    [received] = smtp_server.messages
    assert received.message["Subject"] == subject
    assert received.part("plain").strip() == body
    assert received.part("html").strip() == f"<p>{body}</p>"


def test_a_server_that_is_down_delays_the_mail_until_it_is_back(app, smtp_server):
    smtp_server.stop()
    with clock.frozen(T0):
        message_id = _queue(app)
        with app.app_context():
            report = MailSender().run_once()
        assert (report.claimed, report.sent, report.failed) == (1, 0, 1)
    waiting = _message(app, message_id)
    assert waiting.status == "pending" and waiting.attempts == 1
    assert as_utc(waiting.next_attempt_at) > T0
    assert "Connection" in waiting.last_error or "refused" in waiting.last_error.lower()
    assert waiting.locked_by is None

    smtp_server.start()
    with clock.frozen(T0 + datetime.timedelta(seconds=30)), app.app_context():
        assert MailSender().run_once().claimed == 0  # not due yet: the backoff holds
    assert smtp_server.messages == []
    with clock.frozen(as_utc(waiting.next_attempt_at)), app.app_context():
        assert MailSender().run_once().sent == 1
    [received] = smtp_server.messages
    sent = _message(app, message_id)
    assert received.message["Message-ID"] == sent.message_id
    assert sent.status == "sent" and sent.attempts == 2 and sent.last_error == ""


def test_a_mail_is_dead_after_the_last_retry(app, smtp_server):
    smtp_server.stop()
    moment = T0
    with clock.frozen(T0):
        message_id = _queue(app)
    for _ in range(MAX_ATTEMPTS):
        with clock.frozen(moment), app.app_context():
            assert MailSender().run_once().claimed == 1
        message = _message(app, message_id)
        moment = as_utc(message.next_attempt_at)
    assert message.status == "dead" and message.attempts == MAX_ATTEMPTS
    # 1 min, 5 min, 30 min, 2 h, 6 h, 12 h, 24 h: the attempts span almost two days
    assert as_utc(message.next_attempt_at) - T0 > datetime.timedelta(hours=44)
    with clock.frozen(moment + datetime.timedelta(days=30)), app.app_context():
        assert MailSender().run_once().claimed == 0


def test_a_rolled_back_transaction_sends_nothing(app, smtp_server):
    with app.app_context():
        queue_mail("buyer@example.com", "Order placed", "Hello", kind="order_placed")
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(MailMessage)) == 0
        assert send_due() == 0
    assert smtp_server.messages == []


def test_without_a_mail_server_mails_wait(app, smtp_server):
    message_id = _queue(app)
    app.config["MAIL_SERVER"] = ""
    with app.app_context():
        assert send_due() == 0
    waiting = _message(app, message_id)
    assert waiting.status == "pending" and waiting.attempts == 0
    app.config["MAIL_SERVER"] = "127.0.0.1"
    with app.app_context():
        assert send_due() == 1
    assert len(smtp_server.messages) == 1


def test_a_bad_address_is_refused_when_queued(ctx):
    from storefront.mail.operations import InvalidAddress

    for bad in ("", "nobody", "a@b.example\r\nBcc: x@y.example"):
        with pytest.raises(InvalidAddress):
            queue_mail(bad, "Hi", "Hello", kind="test")


def test_links_in_mails_are_absolute(app):
    with app.app_context():
        assert absolute_url("catalog.home") == "http://localhost/"
    with app.test_request_context("/", base_url="http://shop.test:8000"):
        assert absolute_url("catalog.home") == "http://shop.test:8000/"
    app.config["PUBLIC_URL"] = "https://lumen.example/shop/"
    try:
        with app.app_context():
            assert (
                absolute_url("order_pages.order", number="A-1", key="k")
                == "https://lumen.example/shop/orders/A-1?key=k"
            )
    finally:
        app.config["PUBLIC_URL"] = None


def test_the_send_command_sends_a_batch(app, runner, smtp_server):
    _queue(app)
    result = runner.invoke(args=["shop", "mail", "send", "--once"])
    assert result.exit_code == 0, result.output
    assert "sent 1" in result.output
    assert len(smtp_server.messages) == 1


def _eventually(check, seconds=20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_the_catcher_writes_each_mail_as_an_eml_file(tmp_path):
    port = free_port()
    folder = tmp_path / "mail"
    env = dict(os.environ, STOREFRONT_DEMO="1", FLASK_APP="storefront")
    env["STOREFRONT_DATABASE_URL"] = "sqlite:///" + str(tmp_path / "unused.sqlite3")
    catcher = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "flask",
            "shop",
            "mail",
            "catch",
            "--port",
            str(port),
            "--folder",
            str(folder),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=tmp_path,
        text=True,
    )
    try:

        def connected():
            try:
                return smtplib.SMTP("127.0.0.1", port, timeout=5)
            except OSError:
                assert catcher.poll() is None, catcher.stderr.read()
                return None

        smtp = _eventually(connected)
        mime = EmailMessage()
        mime["Subject"] = "Zahlung erhalten – ご注文"
        mime["From"] = "shop@localhost"
        mime["To"] = "buyer@example.com"
        mime.set_content("Danke!")
        with smtp:
            smtp.send_message(mime)
        [eml] = _eventually(lambda: list(folder.glob("*.eml")))
        saved = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
        assert saved["Subject"] == "Zahlung erhalten – ご注文"
        assert saved.get_content().strip() == "Danke!"
    finally:
        catcher.send_signal(signal.SIGTERM)
        out, err = catcher.communicate(timeout=20)
    assert "buyer@example.com" in out and "Zahlung erhalten" in out, (out, err)


@pytest.mark.postgres_only
def test_two_senders_never_send_one_mail_twice(app, is_postgres, smtp_server):
    if not is_postgres:
        pytest.skip("SKIP LOCKED and real concurrency need PostgreSQL (TEST_DATABASE_URL)")
    total = 120
    with app.app_context():
        for n in range(total):
            queue_mail(f"buyer{n}@example.com", f"Mail {n}", "Hello", kind="test")
        db.session.commit()
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def work(name: str) -> None:
        try:
            with app.app_context():
                sender = MailSender(name, batch=7)
                start.wait(10)
                for _ in range(100):
                    if sender.run_once().claimed == 0:
                        break
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(f"sender-{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    counts = Counter(m.message["Message-ID"] for m in smtp_server.messages)
    assert len(counts) == total and set(counts.values()) == {1}
    with app.app_context():
        sent = db.session.scalar(
            select(func.count()).select_from(MailMessage).where(MailMessage.status == "sent")
        )
        senders = set(db.session.scalars(select(MailMessage.attempts)))
    assert sent == total and senders == {1}


def test_staff_read_the_queue_and_each_mail_in_the_back_office(app, logged_in):
    script = '<p>Danke</p><script>alert("x")</script>'
    message_id = _queue(app, subject="Bestellung A-1", text="Danke!", html=script, kind="order")
    staff = logged_in("staff")
    page = staff.get("/admin/mail")
    assert page.status_code == 200
    assert "Bestellung A-1" in page.text and "buyer@example.com" in page.text
    assert 'data-status="pending"' in page.text
    assert 'href="/admin/mail"' in staff.get("/admin/orders").text  # in the nav

    one = staff.get(f"/admin/mail/{message_id}")
    assert one.status_code == 200
    assert "Danke!" in one.text
    # the HTML part only inside a sandboxed iframe, escaped: it never runs in the back office
    assert 'sandbox=""' in one.text and "<script>alert" not in one.text
    assert "&lt;script&gt;alert" in one.text
    assert staff.get("/admin/mail/999999").status_code == 404


def test_a_dead_mail_can_be_sent_again(app, logged_in, smtp_server):
    message_id = _queue(app)
    with app.app_context():
        message = db.session.get(MailMessage, message_id)
        message.status, message.attempts = "dead", MAX_ATTEMPTS
        db.session.commit()
    staff = logged_in("owner")
    assert staff.post(f"/admin/mail/{message_id}/retry").status_code == 303
    with app.app_context():
        assert send_due() == 1
    assert len(smtp_server.messages) == 1 and _message(app, message_id).status == "sent"


@pytest.mark.parametrize("role", ["agent", "supplier", "wholesale"])
def test_the_queue_is_refused_to_everyone_but_staff(app, client, logged_in, role):
    message_id = _queue(app)
    assert client.get("/admin/mail").status_code == 302  # to the sign-in
    signed_in = logged_in(role)
    assert signed_in.get("/admin/mail").status_code == 403
    assert signed_in.get(f"/admin/mail/{message_id}").status_code == 403
    assert signed_in.post(f"/admin/mail/{message_id}/retry").status_code == 403
