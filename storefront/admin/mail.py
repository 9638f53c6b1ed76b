"""The mail queue in the back office (/admin/mail): what the shop sent or will send,
newest first, and one message as the buyer sees it. Staff only: mails hold buyers'
addresses and orders of every shipper."""

from __future__ import annotations

from flask import abort, redirect, request
from sqlalchemy import func, select

from .. import clock
from ..accounts import STAFF_ROLES, roles_required
from ..db import db
from ..mail import operations as mail
from ..mail.tables import STATUSES, MailMessage
from ..mount import render_template, url_for
from ..request_checks import page_number
from . import bp

PER_PAGE = 50


@bp.get("/mail")
@roles_required(*STAFF_ROLES)
def mail_queue():
    status = request.args.get("status", "")
    page = page_number()
    statement = select(MailMessage)
    if status in STATUSES:
        statement = statement.where(MailMessage.status == status)
    else:
        status = ""
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = db.session.scalars(
        statement.order_by(MailMessage.created_at.desc(), MailMessage.id.desc())
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    return render_template(
        "admin/mail.html",
        messages=rows,
        status=status,
        statuses=STATUSES,
        page=page,
        total=total,
        pages=max(1, -(-total // PER_PAGE)),
    )


@bp.get("/mail/<int:message_id>")
@roles_required(*STAFF_ROLES)
def mail_message(message_id: int):
    message = db.session.get(MailMessage, message_id)
    if message is None:
        abort(404)
    return render_template("admin/mail_message.html", message=message)


@bp.post("/mail/<int:message_id>/retry")
@roles_required(*STAFF_ROLES)
def mail_retry(message_id: int):
    """Send a pending or dead message at the sender's next round."""
    message = db.session.get(MailMessage, message_id)
    if message is None:
        abort(404)
    mail.send_again(message, clock.now())
    db.session.commit()
    return redirect(url_for("admin.mail_message", message_id=message_id), 303)
