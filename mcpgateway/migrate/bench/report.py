"""What make bench reports: one row per measure, the table of medians and ratios, and the
machine the figures were measured on."""

import os
import platform
from dataclasses import dataclass, field


@dataclass
class Row:
    """One measure on one backend at one history size: medians in seconds, by contender."""

    backend: str
    revisions: int
    tables: int
    measure: str
    medians: dict[str, float]
    runs: dict[str, list[float]] = field(default_factory=dict)

    def ratio(self, top: str, bottom: str) -> float | None:
        """``top``'s median over ``bottom``'s, when both were measured."""
        if top in self.medians and bottom in self.medians and self.medians[bottom] > 0:
            return self.medians[top] / self.medians[bottom]
        return None


RATIOS = (("toolkit", "alembic"), ("toolkit", "floor"), ("alembic", "floor"))


def table(rows: list[Row]) -> str:
    """Medians and ratios, one line per backend, size and measure."""
    header = ["backend", "revs", "tables", "measure", "toolkit", "alembic", "floor"]
    header += [f"{top}/{bottom}" for top, bottom in RATIOS]
    lines = [header]
    for row in rows:
        cells = [row.backend, str(row.revisions), str(row.tables), row.measure]
        cells += [f"{row.medians[n]:.2f} s" if n in row.medians else "-" for n in header[4:7]]
        for top, bottom in RATIOS:
            ratio = row.ratio(top, bottom)
            cells.append(f"{ratio:.2f}x" if ratio is not None else "-")
        lines.append(cells)
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def machine() -> dict[str, object]:
    """What the figures were measured on."""
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30),
    }
