"""Email intake on a real site: RFC 822 messages go through Frappe's own InboundMail (as the
scheduler's pull does) into an incoming Email Account that appends to Complaint; no mail server is
contacted."""

import base64
import itertools
import quopri
import uuid
from email.quoprimime import header_encode
from email.utils import formatdate
from unittest.mock import patch

import frappe
from frappe.email.receive import InboundMail

from complaint_handling.intake.email_intake import ComplaintEmailAccount
from complaint_handling.rules.complaint import Status
from complaint_handling.tests.utils import COMPLAINANT_EMAIL, ComplaintTestCase, make_complaint, respond

INTAKE_ACCOUNT = "_Test Complaint Intake"
INTAKE_ADDRESS = "complaints-in@example.com"
STRANGER = "someone.else@example.net"


def encoded_word(text: str, charset: str = "utf-8", encoding: str = "b") -> str:
	"""``text`` as one RFC 2047 encoded word, base64 ("b") or quoted-printable ("q")."""
	data = text.encode(charset)
	if encoding == "b":
		return f"=?{charset}?b?{base64.b64encode(data).decode()}?="
	return header_encode(data, charset)


def body_part(content: str, subtype: str, charset: str, transfer: str) -> str:
	data = content.encode(charset)
	if transfer == "base64":
		payload = base64.encodebytes(data).decode()
	else:
		payload = quopri.encodestring(data).decode()
	return (
		f'Content-Type: text/{subtype}; charset="{charset}"\r\n'
		f"Content-Transfer-Encoding: {transfer}\r\n\r\n{payload}\r\n"
	)


def raw_mail(
	subject: str,
	text: str | None = None,
	html: str | None = None,
	sender: str = COMPLAINANT_EMAIL,
	charset: str = "utf-8",
	transfer: str = "base64",
	headers: dict | None = None,
) -> bytes:
	"""An RFC 822 message as a mail client sends it. A non-ASCII subject is sent as one UTF-8
	encoded word; pass an encoded header to choose another."""
	head = {
		"From": sender,
		"To": INTAKE_ADDRESS,
		"Subject": subject if subject.isascii() else encoded_word(subject),
		"Date": formatdate(localtime=True),
		"Message-ID": f"<{uuid.uuid4().hex}@example.org>",
		"MIME-Version": "1.0",
		**(headers or {}),
	}
	parts = [
		body_part(content, subtype, charset, transfer)
		for content, subtype in ((text, "plain"), (html, "html"))
		if content
	]
	if len(parts) == 1:
		body = parts[0]
	else:
		boundary = uuid.uuid4().hex
		head["Content-Type"] = f'multipart/alternative; boundary="{boundary}"'
		body = "\r\n" + "".join(f"--{boundary}\r\n{part}" for part in parts) + f"--{boundary}--\r\n"
	return ("".join(f"{key}: {value}\r\n" for key, value in head.items()) + body).encode("ascii")


class FakeServer:
	"""What EmailAccount.get_inbound_mails reads from a POP3 server."""

	def __init__(self, messages):
		self.messages = messages

	def get_messages(self):
		return {"latest_messages": self.messages}

	def logout(self):
		pass


class EmailIntakeTestCase(ComplaintTestCase):
	def setUp(self):
		super().setUp()
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": INTAKE_ACCOUNT,
				"email_id": INTAKE_ADDRESS,
				"enable_incoming": 1,
				"use_imap": 0,
				"email_server": "pop.example.invalid",
				"append_to": "Complaint",
				"awaiting_password": 1,
				"enable_outgoing": 0,
			}
		).insert(ignore_permissions=True)

	def receive(self, raw: bytes):
		"""Frappe's own InboundMail, as built and processed by a pull."""
		return InboundMail(raw, frappe.get_doc("Email Account", INTAKE_ACCOUNT)).process()

	def pull(self, raw: bytes):
		"""The whole receiving path of the Email Account (its POP3 server faked)."""
		account = frappe.get_doc("Email Account", INTAKE_ACCOUNT)
		with patch.object(type(account), "get_incoming_server", return_value=FakeServer([raw])):
			(mail,) = account.get_inbound_mails()
		return mail.process()

	def counts(self):
		return {
			"complaints": frappe.db.count("Complaint"),
			"complainants": frappe.db.count("Complainant"),
			"series": frappe.db.sql("SELECT `name`, `current` FROM `tabSeries` ORDER BY `name`"),
		}

	def party(self, complaint_name: str):
		party = frappe.db.get_value("Complaint", complaint_name, "complainant")
		return frappe.db.get_value("Complainant", party, ["party_name", "email"], as_dict=True)


class TestThreading(EmailIntakeTestCase):
	def test_reply_without_in_reply_to_lands_on_the_complaint_it_names(self):
		complaint = make_complaint(severity="III")
		before = self.counts()
		communication = self.receive(
			raw_mail(
				f"Re: We have received your complaint {complaint.name}",
				text="Thank you, I will send photos tomorrow.\n\n> We have received your complaint.",
			)
		)
		self.assertEqual(
			(communication.reference_doctype, communication.reference_name), ("Complaint", complaint.name)
		)
		# no draft, no complainant, no number drawn
		self.assertEqual(self.counts(), before)
		self.assertEqual(
			frappe.get_all(
				"Communication",
				{
					"reference_doctype": "Complaint",
					"sent_or_received": "Received",
					"subject": ("like", f"%{complaint.name}%"),
				},
				pluck="reference_name",
			),
			[complaint.name],
		)

	def test_every_usual_prefix_and_place_of_the_number(self):
		complaint = make_complaint()
		number = complaint.name
		text = f"We have received your complaint {number}"
		subjects = [
			f"{prefix}{text}"
			for prefix in (
				"Re: ",
				"RE: ",
				"re:",
				"Fwd: ",
				"FW: ",
				"Aw: ",
				"回复：",
				"回复: ",
				"答复：",
				"答复: ",
				"转发：",
				"转发: ",
				"Re：",
				"FW：",
				"RE: 回复：Fwd: ",
				"Re: Re: Re: ",
				"答复: 转发：RE：",
				"Re[2]: ",
			)
		]
		subjects += [
			f"关于投诉{number}的补充材料",
			f"[{number}] more photos",
			f"Re: (#{number})",
			f"{number}",
		]
		# Chinese subjects arrive as encoded words in the charsets and encodings mail clients use
		headers = itertools.cycle(
			[("utf-8", "b"), ("gbk", "q"), ("gb2312", "b"), ("utf-8", "q"), ("gbk", "b")]
		)
		before = self.counts()
		for subject in subjects:
			charset, encoding = next(headers)
			header = subject if subject.isascii() else encoded_word(subject, charset, encoding)
			communication = self.receive(raw_mail(header, text="See attached."))
			self.assertEqual(communication.reference_name, complaint.name, subject)
			self.assertEqual(communication.subject, subject)
		self.assertEqual(self.counts(), before)

	def test_only_mail_that_names_no_complaint_opens_one(self):
		complaint = make_complaint()
		before = frappe.db.count("Complaint")
		for subject in (
			"Re: Invoice ACC-SINV-2026-00012",
			"Broken seal on batch B2604-117",
			"Re: TS-IX-99-999",
		):
			communication = self.receive(raw_mail(subject, text="The seal was broken."))
			self.assertNotEqual(communication.reference_name, complaint.name, subject)
			self.assertEqual(
				frappe.db.get_value("Complaint", communication.reference_name, "status"), Status.DRAFT
			)
		self.assertEqual(frappe.db.count("Complaint"), before + 3)

	def test_reply_to_a_responded_complaint_is_its_feedback(self):
		complaint = respond(make_complaint())
		self.receive(
			raw_mail(
				f"回复：We have received your complaint {complaint.name}",
				text=(
					"The replacement batch works, thank you.\n\n"
					"在 2026年1月5日 周一 10:00，Complaints <complaints@example.com> 写道：\n"
					"> Dear customer, we replaced the batch."
				),
			)
		)
		self.assertEqual(
			frappe.db.get_value("Complaint", complaint.name, "customer_feedback"),
			"The replacement batch works, thank you.",
		)
		# a second reply is on the timeline but the feedback stays as first given
		communication = self.receive(raw_mail(f"Re: {complaint.name}", text="One more thing."))
		self.assertEqual(communication.reference_name, complaint.name)
		self.assertEqual(
			frappe.db.get_value("Complaint", complaint.name, "customer_feedback"),
			"The replacement batch works, thank you.",
		)

	def test_feedback_comes_only_from_the_complainant_and_only_when_responded(self):
		responded = respond(make_complaint())
		open_complaint = make_complaint()
		for complaint, sender in ((responded, STRANGER), (open_complaint, COMPLAINANT_EMAIL)):
			communication = self.receive(
				raw_mail(f"Re: We have received your complaint {complaint.name}", text="Fine.", sender=sender)
			)
			self.assertEqual(communication.reference_name, complaint.name)
			self.assertFalse(frappe.db.get_value("Complaint", complaint.name, "customer_feedback"))

	def test_reply_threaded_by_in_reply_to_is_feedback_too(self):
		complaint = respond(make_complaint())
		sent = frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Sent",
				"subject": "Our reply to your complaint",
				"content": "We replaced the batch.",
				"recipients": COMPLAINANT_EMAIL,
				"reference_doctype": "Complaint",
				"reference_name": complaint.name,
				"message_id": f"{uuid.uuid4().hex}@example.com",
			}
		).insert(ignore_permissions=True)
		communication = self.receive(
			raw_mail(
				"Re: Our reply to your complaint",
				html=(
					"<div>All good now.</div><div>On Mon, 5 Jan 2026 at 10:00, Complaints "
					"&lt;complaints@example.com&gt; wrote:<br></div><blockquote>We replaced the batch.</blockquote>"
				),
				headers={"In-Reply-To": f"<{sent.message_id}>"},
			)
		)
		self.assertEqual(communication.reference_name, complaint.name)
		self.assertEqual(
			frappe.db.get_value("Complaint", complaint.name, "customer_feedback"), "All good now."
		)


class TestNewComplaintFromEmail(EmailIntakeTestCase):
	def new_complaint(self, raw: bytes):
		communication = self.receive(raw)
		self.assertEqual(communication.reference_doctype, "Complaint")
		return communication, frappe.get_doc("Complaint", communication.reference_name)

	def test_description_is_the_message_without_its_history(self):
		communication, complaint = self.new_complaint(
			raw_mail(
				"Re: Your order 4711 has shipped",
				text=(
					"The seal of bottle B2604-117 was broken when it arrived.\n"
					"Please call me back.\n\n"
					"On Mon, 5 Jan 2026 at 10:00, Shop <shop@example.com> wrote:\n"
					"> Your order has shipped.\n"
					"> Regards"
				),
			)
		)
		self.assertEqual(complaint.status, Status.DRAFT)
		self.assertEqual(
			complaint.description,
			"<p>The seal of bottle B2604-117 was broken when it arrived.<br>Please call me back.</p>",
		)
		self.assertEqual(complaint.subject, "Your order 4711 has shipped")
		# the email as received stays in the timeline, history included
		self.assertIn(
			"Your order has shipped.", frappe.db.get_value("Communication", communication.name, "content")
		)
		self.assertEqual(communication.subject, "Re: Your order 4711 has shipped")

	def test_html_becomes_text(self):
		html = (
			'<div dir="ltr">The seal of bottle <b>B2604-117</b> was broken.<br>Please '
			'<a href="https://example.com">call</a> me.<div><br></div><div>Li Lei</div></div>'
			'<div class="gmail_quote"><div class="gmail_attr">On Mon, 5 Jan 2026 at 10:00, Shop '
			"&lt;shop@example.com&gt; wrote:<br></div><blockquote>Your order has shipped.</blockquote></div>"
		)
		expected = "<p>The seal of bottle B2604-117 was broken.<br>Please call me.</p><p>Li Lei</p>"
		for raw in (
			raw_mail("Broken seal", html=html),
			raw_mail("Broken seal", html=html, charset="gbk", transfer="quoted-printable"),
		):
			_communication, complaint = self.new_complaint(raw)
			self.assertEqual(complaint.description, expected)
		# with a plain text alternative, the plain text is the sender's own rendering
		_communication, complaint = self.new_complaint(
			raw_mail("Broken seal", text="The seal was broken.\n\n> Your order has shipped.", html=html)
		)
		self.assertEqual(complaint.description, "<p>The seal was broken.</p>")

	def test_every_usual_history_separator(self):
		own = "瓶盖破损，批号 B2604-117。"
		histories = [
			"-----Original Message-----\nFrom: Shop <shop@example.com>\nSent: Monday, January 5, 2026 10:00\nSubject: Order",
			"________________________________\nFrom: Shop <shop@example.com>\nSent: Monday, January 5, 2026 10:00\nTo: Li",
			"On Mon, 5 Jan 2026 at 10:00, Shop <shop@example.com>\nwrote:\n> Your order has shipped.",
			"在 2026年1月5日 周一 10:00，商店 <shop@example.com> 写道：\n> 您的订单已发货。",
			'------------------ 原始邮件 ------------------\n发件人: "商店"<shop@example.com>;\n发送时间: 2026年1月5日(星期一) 上午10:00',
			"发件人: 商店 <shop@example.com>\n发送时间: 2026年1月5日 10:00\n收件人: 李雷\n主题: 订单",
			"Am Mo., 5. Jan. 2026 um 10:00 Uhr schrieb Shop <shop@example.com>:\n> Ihre Bestellung",
			"Am 05.01.2026 um 10:00 schrieb Shop <shop@example.com>:\n> Ihre Bestellung",
		]
		for history in histories:
			_communication, complaint = self.new_complaint(raw_mail("瓶盖破损", text=f"{own}\n\n{history}"))
			self.assertEqual(complaint.description, f"<p>{own}</p>", history)

	def test_bodies_in_every_usual_encoding(self):
		texts = {
			"gb2312": "瓶盖破损，批号 B2604-117。",
			"gbk": "瓶盖破损，堃批号 B2604-117。",
			"utf-8": "瓶蓋破損 😞 B2604-117",
		}
		for charset, transfer in itertools.product(texts, ("base64", "quoted-printable")):
			_communication, complaint = self.new_complaint(
				raw_mail("瓶盖破损", text=texts[charset], charset=charset, transfer=transfer)
			)
			self.assertEqual(complaint.description, f"<p>{texts[charset]}</p>", (charset, transfer))

	def test_a_forwarded_complaint_keeps_the_forwarded_message(self):
		_communication, complaint = self.new_complaint(
			raw_mail(
				"Fwd: Broken seal",
				text=(
					"Please handle.\n\n---------- Forwarded message ---------\n"
					"From: Li Lei <li.lei@example.com>\nDate: Mon, 5 Jan 2026 at 10:00\n"
					"Subject: Broken seal\n\nThe seal was broken."
				),
			)
		)
		self.assertEqual(complaint.subject, "Broken seal")
		self.assertIn("The seal was broken.", complaint.description)
		self.assertIn("Please handle.", complaint.description)


class TestSenderNames(EmailIntakeTestCase):
	def test_the_account_receives_through_the_app(self):
		self.assertIsInstance(frappe.get_doc("Email Account", INTAKE_ACCOUNT), ComplaintEmailAccount)

	def test_non_latin_display_name_survives(self):
		communication = self.pull(
			raw_mail(
				"Broken seal", text="The seal was broken.", sender="=?utf-8?b?5p2O6Zu3?= <li.lei@example.com>"
			)
		)
		self.assertEqual(
			self.party(communication.reference_name), {"party_name": "李雷", "email": "li.lei@example.com"}
		)
		self.assertEqual(communication.sender_full_name, "李雷")
		self.assertEqual(communication.sender, "li.lei@example.com")

	def test_display_names_in_every_usual_encoding(self):
		names = {
			f"{encoded_word('李雷', 'gb2312', 'b')} <a1@example.com>": "李雷",
			f"{encoded_word('李雷', 'gb2312', 'q')} <a2@example.com>": "李雷",
			f"{encoded_word('王堃', 'gbk', 'b')} <a3@example.com>": "王堃",
			f"{encoded_word('王堃', 'gbk', 'q')} <a4@example.com>": "王堃",
			f"{encoded_word('李雷', 'utf-8', 'q')} <a5@example.com>": "李雷",
			f'"{encoded_word("李雷", "utf-8", "b")}" <a6@example.com>': "李雷",
			f"{encoded_word('李', 'utf-8', 'b')} {encoded_word('雷', 'utf-8', 'b')} <a7@example.com>": "李雷",
			f"{encoded_word('李雷', 'utf-8', 'b')} (Li Lei) <a8@example.com>": "李雷 (Li Lei)",
			f"{encoded_word('José Núñez', 'iso-8859-1', 'q')} <a9@example.com>": "José Núñez",
			'"Lei, Li" <a10@example.com>': "Lei, Li",
		}
		for header, name in names.items():
			communication = self.pull(raw_mail("Broken seal", text="The seal was broken.", sender=header))
			self.assertEqual(self.party(communication.reference_name).party_name, name, header)
			self.assertEqual(communication.sender_full_name, name, header)
		# no display name: the address, as Frappe has it
		communication = self.pull(raw_mail("Broken seal", text="x", sender="a11@example.com"))
		self.assertEqual(self.party(communication.reference_name).party_name, "a11@example.com")

	def test_a_subject_in_several_encoded_parts_is_read_whole(self):
		complaint = make_complaint()
		subject = f"{encoded_word('回复：', 'gbk', 'b')} We have received your complaint {complaint.name}"
		communication = self.pull(raw_mail(subject, text="Photos attached."))
		self.assertEqual(communication.reference_name, complaint.name)
		self.assertEqual(communication.subject, f"回复： We have received your complaint {complaint.name}")
