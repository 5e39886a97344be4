"""Server-side SVG charts: bars for counts, a line for a percentage; no script, readable without colour (each
series has its own pattern of bar and a legend), and always shown beside its data table."""
from markupsafe import Markup, escape

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 230, 40, 24, 20
FILLS = ("#1f5fa8", "#9fc3e7")  # dark and light: told apart in grey too


def svg_chart(chart, identifier):
    """The chart as an inline <svg> with a title and a description for screen readers; `identifier` is unique in
    the page."""
    count = max(1, len(chart.labels))
    values = [v for _, series in chart.series for v in series if v is not None]
    top = 100 if chart.percent else max(values + [1])
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP
    step = plot_w / count
    y = lambda v: TOP + plot_h - plot_h * v / top  # noqa: E731
    parts = [f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - 8}" y2="{TOP + plot_h}" stroke="#555"/>',
             f'<text x="{LEFT - 4}" y="{TOP + 4}" text-anchor="end" font-size="10">{top}{"%" if chart.percent else ""}'
             '</text>', f'<text x="{LEFT - 4}" y="{TOP + plot_h}" text-anchor="end" font-size="10">0</text>']
    if chart.percent:
        _name, series = chart.series[0]
        points = [(LEFT + step * (n + 0.5), y(v)) for n, v in enumerate(series) if v is not None]
        if points:
            parts.append('<polyline fill="none" stroke="{}" stroke-width="2" points="{}"/>'.format(
                FILLS[0], " ".join(f"{px:.1f},{py:.1f}" for px, py in points)))
            parts += [f'<circle cx="{px:.1f}" cy="{py:.1f}" r="2.5" fill="{FILLS[0]}"/>' for px, py in points]
    else:
        width = step * 0.8 / len(chart.series)
        for index, (_name, series) in enumerate(chart.series):
            for n, v in enumerate(series):
                if v is None:  # too few to show: no bar (the table says so)
                    continue
                x = LEFT + step * (n + 0.1) + width * index
                parts.append(f'<rect x="{x:.1f}" y="{y(v):.1f}" width="{width:.1f}" height="{TOP + plot_h - y(v):.1f}"'
                             f' fill="{FILLS[index % 2]}"/>')
    for index, (name, _series) in enumerate(chart.series):  # the legend, top right
        x = WIDTH - 8 - 150 * (len(chart.series) - index)
        parts.append(f'<rect x="{x}" y="0" width="10" height="10" fill="{FILLS[index % 2]}"/>'
                     f'<text x="{x + 14}" y="9" font-size="10">{escape(str(name))}</text>')
    every = max(1, count // 12)
    parts += [f'<text x="{LEFT + step * (n + 0.5):.1f}" y="{HEIGHT - 8}" text-anchor="middle" font-size="10">'
              f'{escape(label)}</text>' for n, label in enumerate(chart.labels) if n % every == 0]
    legend = " · ".join(str(name) for name, _ in chart.series)
    return Markup('<svg role="img" aria-labelledby="{id}-t {id}-d" viewBox="0 0 {w} {h}" width="100%" '
                  'xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{title}</title>'
                  '<desc id="{id}-d">{desc}</desc>{body}</svg>').format(
        id=identifier, w=WIDTH, h=HEIGHT, title=escape(str(chart.title)), desc=escape(legend),
        body=Markup("".join(parts)))
