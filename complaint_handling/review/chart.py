"""A small bar chart as inline SVG, with no database: wkhtmltopdf prints SVG but runs none of
Frappe's JavaScript charts, so the pack draws its own."""

from html import escape

WIDTH, BAR_AREA, LABEL = 640, 380, 200
COLOURS = ("#5e64ff", "#ff9f43", "#2ecc71", "#e74c3c", "#8e44ad", "#16a085")


def bar_chart(labels, datasets, title: str = "") -> str:
	"""Horizontal bars, one group per label, one bar per dataset. ``datasets`` is a list of
	``(name, values)``; values are numbers (None counts as 0). An empty string when nothing is
	above zero, so a template can leave the chart out."""
	labels = [str(label) for label in labels]
	datasets = [(str(name), [float(v or 0) for v in values]) for name, values in datasets]
	peak = max((v for _name, values in datasets for v in values), default=0)
	if not labels or peak <= 0:
		return ""
	row = max(22, 6 + 12 * len(datasets))
	bar = (row - 4) / len(datasets)
	top = 24 if title else 4
	legend = 18 if len(datasets) > 1 else 0
	height = top + len(labels) * row + legend + 4
	parts = [
		f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
		f'viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="11">'
	]
	if title:
		parts.append(f'<text x="0" y="14" font-size="13" font-weight="bold">{escape(title)}</text>')
	for i, label in enumerate(labels):
		y = top + i * row
		parts.append(
			f'<text x="{LABEL - 6}" y="{y + row / 2 + 4:.1f}" text-anchor="end">{escape(label[:32])}</text>'
		)
		for j, (_name, values) in enumerate(datasets):
			value = values[i] if i < len(values) else 0
			length = BAR_AREA * value / peak
			by = y + 2 + j * bar
			parts.append(
				f'<rect x="{LABEL}" y="{by:.1f}" width="{length:.1f}" height="{bar - 1:.1f}" '
				f'fill="{COLOURS[j % len(COLOURS)]}"/>'
			)
			parts.append(f'<text x="{LABEL + length + 4:.1f}" y="{by + bar - 3:.1f}">{value:g}</text>')
	if legend:
		y = top + len(labels) * row + 12
		for j, (name, _values) in enumerate(datasets):
			x = LABEL + j * 120
			parts.append(
				f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{COLOURS[j % len(COLOURS)]}"/>'
			)
			parts.append(f'<text x="{x + 14}" y="{y}">{escape(name[:16])}</text>')
	parts.append("</svg>")
	return "".join(parts)
