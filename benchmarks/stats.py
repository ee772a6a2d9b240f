"""What a benchmark returns and how the final table prints it (no Django, no database: cheap to test)."""

import math
import sys
from dataclasses import dataclass


@dataclass
class Result:
    """One measurement, printed as one row of the table: its value, what it is measured against (its
    peer: a COPY, Django admin, the first page, …) and its target. The value must not exceed the
    target; a result without a target is only shown."""

    name: str
    value: float
    rows: int | None = None  # rows an import or export handled, when that is what is measured
    target: float | None = None
    unit: str = "s"  # "s", "ms", "KB", "×", or "" for a count
    peer: str = ""

    @property
    def met(self):
        return self.target is None or self.value <= self.target

    @property
    def seconds(self):
        return self.value

    def measured(self):
        return format_value(self.value, self.unit)

    def beside(self):
        """The peer column: the peer given, else the rows handled and their rate."""
        if self.peer:
            return self.peer
        if self.rows is not None and self.unit == "s" and self.value > 0:
            return f"{self.rows:,} rows, {self.rows / self.value:,.0f}/s"
        return ""

    def goal(self):
        return f"≤ {format_value(self.target, self.unit)}" if self.target is not None else "—"


def format_value(value, unit):
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "ms":
        return f"{value:.1f} ms" if value < 10 else f"{value:.0f} ms"
    if unit == "KB":
        return f"{value:.1f} KB"
    if unit == "×":
        return f"{value:.2f}×"
    return f"{value:,.0f}{' ' + unit if unit else ''}"


def percentile(values, fraction):
    """The `fraction` percentile of `values` (0.5 → the median), interpolated between the two nearest
    ranks as numpy's default does."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    lower, upper = math.floor(position), math.ceil(position)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def report(results):
    """The final table: each measurement beside its peer and its target."""
    columns = [
        ("benchmark", [r.name for r in results], "<"),
        ("measured", [r.measured() for r in results], ">"),
        ("beside", [r.beside() for r in results], "<"),
        ("target", [r.goal() for r in results], ">"),
        ("result", ["" if r.target is None else "ok" if r.met else "MISSED" for r in results], "<"),
    ]
    widths = [max(len(title), *(len(cell) for cell in cells)) if cells else len(title) for title, cells, _a in columns]

    aligns = [align for _t, _c, align in columns]

    def line(cells):
        return "  ".join(f"{cell:{a}{w}}" for cell, w, a in zip(cells, widths, aligns, strict=True))

    lines = [line([title for title, _c, _a in columns]).rstrip()]
    lines.append("-" * len(lines[0]))
    for row in zip(*(cells for _t, cells, _a in columns), strict=True):
        lines.append(line(row).rstrip())
    return "\n".join(lines)


def print_report(results):
    """Print the table of results; the exit status: 1 when a target was missed, else 0."""
    print()
    print(report(results))
    missed = [result.name for result in results if not result.met]
    if missed:
        print(f"\nTarget missed: {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0
