"""A bar chart as SVG geometry, computed on the server (no scripts, no inline styles)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    label: str
    show_label: bool

    @property
    def cx(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def value_y(self) -> float:
        return round(self.y - 4, 1)


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    maximum: int
    baseline: float
    title: str

    @property
    def label_y(self) -> float:
        return self.baseline + 16


def bar_chart(
    points: list[tuple[str, int]], *, title: str, width: int = 720, height: int = 220
) -> BarChart:
    """Bars scaled to the largest value; every k-th label shown so they never overlap."""
    top, bottom = 20, 36
    plot = height - top - bottom
    maximum = max((v for _, v in points), default=0) or 1
    n = max(len(points), 1)
    step = width / n
    every = max(1, round(n / 8))
    bars = [
        Bar(
            x=round(i * step + step * 0.15, 1),
            y=round(top + plot - plot * value / maximum, 1),
            width=round(step * 0.7, 1),
            height=round(plot * value / maximum, 1),
            value=value,
            label=label,
            show_label=i % every == 0 and i < n - 2,
        )
        for i, (label, value) in enumerate(points)
    ]
    return BarChart(width, height, bars, maximum, top + plot, title)
