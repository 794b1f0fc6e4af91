//! Charts drawn on the server as inline SVG: lines, stacked bars and stacked areas over a
//! series of evenly spaced points, with a zero-based y axis rounded up to a 1-2-5 step and three
//! time labels. The plot stretches to its box (strokes keep their width) while the labels are
//! HTML around it, so text stays legible at phone width. Colours come from the stylesheet
//! (`.chart .s-<class>`), so charts follow the light and dark themes.

use std::fmt::Write as _;

use crate::page::escape_markup as escape;

/// The plot's size in SVG units; it stretches to its box.
const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 200.0;
/// Air around the plot, so the strokes of extreme values are not cut.
const LEFT: f64 = 2.0;
const RIGHT: f64 = 2.0;
const TOP: f64 = 4.0;
const BOTTOM: f64 = 1.0;

/// How a chart draws its series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// One line per series; a missing point breaks the line.
    Line,
    /// Bars, the series stacked bottom-up.
    Bars,
    /// Filled areas, the series stacked bottom-up.
    Area,
}

/// One named series: a value per point (`None`: no data there).
#[derive(Debug, Clone)]
pub(crate) struct Series {
    /// Its name in the legend.
    pub(crate) name: &'static str,
    /// Its colour class (`.s-<class>`).
    pub(crate) class: &'static str,
    /// One value per point.
    pub(crate) values: Vec<Option<f64>>,
}

/// A chart, ready to render.
#[derive(Debug, Clone)]
pub(crate) struct Chart {
    /// The element id.
    pub(crate) id: &'static str,
    /// What it shows, for screen readers (the figures are in tables beside it).
    pub(crate) label: String,
    /// How it draws.
    pub(crate) kind: Kind,
    /// The labels of the first, middle and last points.
    pub(crate) x_labels: [String; 3],
    /// The series.
    pub(crate) series: Vec<Series>,
    /// A dashed straight line from the first to the last point (a trend), in y units.
    pub(crate) trend: Option<(f64, f64)>,
    /// Formats a y value for the axis.
    pub(crate) format: fn(f64) -> String,
}

/// The smallest 1, 2 or 5 times a power of ten at or above `value` (1 for nothing).
pub(crate) fn nice_ceiling(value: f64) -> f64 {
    if !value.is_finite() || value <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(value.log10().floor());
    [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * magnitude).find(|c| *c >= value * 0.999_999).unwrap_or(value)
}

impl Chart {
    /// How many points the series have.
    fn points(&self) -> usize {
        self.series.iter().map(|s| s.values.len()).max().unwrap_or(0)
    }

    /// The top of the y axis: the largest (stacked) value, rounded up.
    fn y_max(&self) -> f64 {
        let n = self.points();
        let mut max: f64 = 0.0;
        for i in 0..n {
            let at = |s: &Series| s.values.get(i).copied().flatten().unwrap_or(0.0);
            let value = match self.kind {
                Kind::Line => self.series.iter().map(at).fold(0.0, f64::max),
                Kind::Bars | Kind::Area => self.series.iter().map(at).sum(),
            };
            max = max.max(value);
        }
        if let Some((a, b)) = self.trend {
            max = max.max(a).max(b);
        }
        nice_ceiling(max)
    }

    /// Whether any series has a value.
    pub(crate) fn has_data(&self) -> bool {
        self.series.iter().any(|s| s.values.iter().any(Option::is_some))
    }

    /// The SVG element.
    pub(crate) fn render(&self) -> String {
        let n = self.points();
        let top = self.y_max();
        let plot_w = WIDTH - LEFT - RIGHT;
        let plot_h = HEIGHT - TOP - BOTTOM;
        let y = |v: f64| TOP + plot_h * (1.0 - (v / top).clamp(0.0, 1.0));
        // Bars take a band each; lines and areas put points on the band edges.
        let band = plot_w / n.max(1) as f64;
        let x = |i: usize| match self.kind {
            Kind::Bars => LEFT + band * (i as f64 + 0.5),
            _ if n <= 1 => LEFT + plot_w / 2.0,
            _ => LEFT + plot_w * i as f64 / (n - 1) as f64,
        };
        let kind = match self.kind {
            Kind::Line => "line",
            Kind::Bars => "bars",
            Kind::Area => "area",
        };
        let label = escape(&self.label);
        let mut svg = String::with_capacity(4096);
        let _ = write!(
            svg,
            r#"<figure class="chart chart-{kind}" id="{id}" role="img" aria-label="{label}">"#,
            id = self.id
        );
        // The y labels (top, half, 0) and the grid lines behind the plot.
        svg.push_str(r#"<div class="chart-y" aria-hidden="true">"#);
        for fraction in [1.0, 0.5, 0.0] {
            let _ = write!(svg, "<span>{}</span>", escape(&(self.format)(top * fraction)));
        }
        let _ =
            write!(svg, r#"</div><svg viewBox="0 0 {WIDTH} {HEIGHT}" preserveAspectRatio="none" aria-hidden="true">"#);
        for fraction in [0.0, 0.5, 1.0] {
            let gy = y(top * fraction);
            let _ = write!(svg, r#"<line class="grid" x1="0" x2="{WIDTH}" y1="{gy:.1}" y2="{gy:.1}"/>"#);
        }
        match self.kind {
            Kind::Line => {
                for s in &self.series {
                    let mut d = String::new();
                    let mut pen_down = false;
                    for (i, v) in s.values.iter().enumerate() {
                        match v {
                            Some(v) => {
                                let _ = write!(d, "{}{:.1},{:.1} ", if pen_down { "L" } else { "M" }, x(i), y(*v));
                                pen_down = true;
                            }
                            None => pen_down = false,
                        }
                    }
                    // A lone point between gaps shows as a dot.
                    for (i, v) in s.values.iter().enumerate() {
                        let before = i.checked_sub(1).and_then(|j| s.values.get(j)).copied().flatten();
                        let after = s.values.get(i + 1).copied().flatten();
                        if let (Some(v), None, None) = (v, before, after) {
                            let _ = write!(d, "M{:.1},{:.1} h0.1 ", x(i), y(*v));
                        }
                    }
                    let _ = write!(
                        svg,
                        r#"<path class="series s-{class}" data-series="{name}" d="{d}"/>"#,
                        class = s.class,
                        name = escape(s.name),
                        d = d.trim_end(),
                    );
                }
            }
            Kind::Bars => {
                let mut base = vec![0.0; n];
                for s in &self.series {
                    let mut rects = String::new();
                    for (i, v) in s.values.iter().enumerate() {
                        let Some(v) = v.filter(|v| *v > 0.0) else { continue };
                        let (y0, y1) = (y(base[i]), y(base[i] + v));
                        base[i] += v;
                        let w = (band * 0.7).max(1.0);
                        let _ = write!(
                            rects,
                            r#"<rect x="{:.1}" y="{:.1}" width="{w:.1}" height="{:.1}"/>"#,
                            x(i) - w / 2.0,
                            y1,
                            (y0 - y1).max(0.5)
                        );
                    }
                    let _ = write!(
                        svg,
                        r#"<g class="series s-{class}" data-series="{name}">{rects}</g>"#,
                        class = s.class,
                        name = escape(s.name),
                    );
                }
            }
            Kind::Area => {
                let mut base = vec![0.0; n];
                for s in &self.series {
                    if n == 0 {
                        break;
                    }
                    let lower: Vec<f64> = base.clone();
                    for (i, b) in base.iter_mut().enumerate() {
                        *b += s.values.get(i).copied().flatten().unwrap_or(0.0);
                    }
                    let mut d = String::new();
                    for (i, v) in base.iter().enumerate() {
                        let _ = write!(d, "{}{:.1},{:.1} ", if i == 0 { "M" } else { "L" }, x(i), y(*v));
                    }
                    for (i, v) in lower.iter().enumerate().rev() {
                        let _ = write!(d, "L{:.1},{:.1} ", x(i), y(*v));
                    }
                    let _ = write!(
                        svg,
                        r#"<path class="series s-{class}" data-series="{name}" d="{d}Z"/>"#,
                        class = s.class,
                        name = escape(s.name),
                    );
                }
            }
        }
        if let Some((a, b)) = self.trend.filter(|_| n >= 2) {
            let _ = write!(
                svg,
                r#"<line class="trend" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/>"#,
                x(0),
                y(a),
                x(n - 1),
                y(b)
            );
        }
        svg.push_str(r#"</svg><div class="chart-x" aria-hidden="true">"#);
        for text in &self.x_labels {
            let _ = write!(svg, "<span>{}</span>", escape(text));
        }
        svg.push_str("</div></figure>");
        svg
    }

    /// The legend: a swatch and a name per series.
    pub(crate) fn legend(&self) -> String {
        let mut html = String::from(r#"<ul class="chart-legend">"#);
        for s in &self.series {
            let _ = write!(html, r#"<li><span class="swatch s-{}"></span>{}</li>"#, s.class, escape(s.name));
        }
        if self.trend.is_some() {
            html.push_str(r#"<li><span class="swatch trend-swatch"></span>trend</li>"#);
        }
        html.push_str("</ul>");
        html
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(kind: Kind, values: Vec<Option<f64>>) -> Chart {
        Chart {
            id: "c",
            label: "A <chart>".into(),
            kind,
            x_labels: ["a".into(), "b".into(), "c".into()],
            series: vec![Series { name: "one", class: "p50", values }],
            trend: None,
            format: |v| format!("{v}"),
        }
    }

    #[test]
    fn the_axis_rounds_up_to_one_two_five() {
        for (value, top) in [(0.0, 1.0), (0.7, 1.0), (1.2, 2.0), (3.0, 5.0), (5.0, 5.0), (7.5, 10.0), (420.0, 500.0)] {
            assert_eq!(nice_ceiling(value), top, "{value}");
        }
    }

    #[test]
    fn a_gap_breaks_the_line_and_the_peak_touches_the_top() {
        let svg = chart(Kind::Line, vec![Some(1.0), Some(2.0), None, Some(2.0), Some(1.0)]).render();
        let d = svg.split(r#" d=""#).nth(1).unwrap().split('"').next().unwrap();
        assert_eq!(d.matches('M').count(), 2, "{d}");
        // The top of the plot is y = TOP.
        assert!(d.contains(&format!(",{TOP:.1}")), "{d}");
        assert!(svg.contains("A &lt;chart&gt;"), "labels are escaped");
    }

    #[test]
    fn bars_stack_and_skip_zeroes() {
        let mut c = chart(Kind::Bars, vec![Some(1.0), Some(0.0), Some(3.0)]);
        c.series.push(Series { name: "two", class: "p95", values: vec![Some(1.0), None, Some(1.0)] });
        let svg = c.render();
        assert_eq!(svg.matches("<rect").count(), 4, "{svg}");
        assert!(svg.contains("<span>5</span>"), "the stack of 4 rounds up to 5: {svg}");
        assert!(!chart(Kind::Bars, vec![None, None]).has_data());
    }
}
