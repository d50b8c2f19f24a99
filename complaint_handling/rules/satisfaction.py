"""The complainant's satisfaction (issue 14, part 7; domain.md "Records and analysis": satisfaction
surveys at least four times a year, callbacks after handling), with no database.

Two sources answer the same question, "how satisfied are you with how we handled your
complaint?": the feedback recorded on a complaint at its closure (in the desk, or by the
complainant on the status page) and the answers to the periodic survey. :func:`summarise` turns
their answers into the figures the Trends report and the management-review pack show.
"""

from collections.abc import Iterable, Mapping

SATISFIED = "Satisfied"
PARTLY = "Partly Satisfied"
NOT_SATISFIED = "Not Satisfied"
ANSWERS = (SATISFIED, PARTLY, NOT_SATISFIED)

# the quarters of a year, as (first month, last month): the survey's default periods
QUARTERS = ((1, 3), (4, 6), (7, 9), (10, 12))


def is_answer(value) -> bool:
	return isinstance(value, str) and value in ANSWERS


def share(part: int, whole: int) -> float | None:
	"""``part`` of ``whole`` in per cent, rounded to one decimal; None when there is nothing to
	divide (no answers is not 0 % satisfied)."""
	if not whole:
		return None
	return round(100.0 * part / whole, 1)


def counts(answers: Iterable) -> dict[str, int]:
	"""How many of ``answers`` are each answer (anything else is ignored)."""
	out = dict.fromkeys(ANSWERS, 0)
	for answer in answers:
		if is_answer(answer):
			out[answer] += 1
	return out


def summarise(closure: Mapping[str, int], survey: Mapping[str, int]) -> dict:
	"""The satisfaction figures of a period from the number of each answer given at closure and in
	surveys (``{"Satisfied": 3, ...}``; a missing answer is 0, anything else is ignored).

	Returns ``{"closure": {...}, "survey": {...}, "total": {...}}``, each part with ``counts``
	(answer -> number), ``answered`` (their sum), ``satisfied_share`` (per cent answering
	*Satisfied*, None without answers) and ``satisfied_or_partly_share`` (per cent answering
	*Satisfied* or *Partly Satisfied*)."""
	closure = {answer: int(closure.get(answer) or 0) for answer in ANSWERS}
	survey = {answer: int(survey.get(answer) or 0) for answer in ANSWERS}
	total = {answer: closure[answer] + survey[answer] for answer in ANSWERS}
	return {"closure": part(closure), "survey": part(survey), "total": part(total)}


def part(by_answer: dict[str, int]) -> dict:
	answered = sum(by_answer.values())
	return {
		"counts": dict(by_answer),
		"answered": answered,
		"satisfied_share": share(by_answer[SATISFIED], answered),
		"satisfied_or_partly_share": share(by_answer[SATISFIED] + by_answer[PARTLY], answered),
	}


def quarter_of(year: int, month: int) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
	"""The first and last day of the quarter holding ``month`` of ``year`` as (y, m, d) tuples."""
	import calendar

	first, last = next(q for q in QUARTERS if q[0] <= month <= q[1])
	return (year, first, 1), (year, last, calendar.monthrange(year, last)[1])


def previous_quarter(year: int, month: int) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
	"""The quarter before the one holding ``month`` of ``year`` (the quarterly survey asks about the
	quarter that has just ended)."""
	first = next(q for q in QUARTERS if q[0] <= month <= q[1])[0]
	if first == 1:
		return quarter_of(year - 1, 12)
	return quarter_of(year, first - 1)
