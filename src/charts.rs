//! Charts as SVG text, made by the core so the page needs no charting
//! library: horizontal bars with their labels and values written out, a
//! `<title>` and `<desc>` for screen readers (the page also shows each
//! chart's table), and every text escaped. Negative values (a campaign that
//! lost money) grow left from the zero line.

use std::fmt::Write;

/// One bar: what it is, its value, and the value as a person reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub text: String,
}

const WIDTH: f64 = 680.0;
const LABEL: f64 = 220.0;
const VALUE: f64 = 120.0;
const ROW: f64 = 26.0;

/// Text for XML: the five characters that could end it or start markup.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0 text, nor are the
            // two noncharacters U+FFFE and U+FFFF (the SVG would not load).
            c if c.is_control() && c != '\n' && c != '\t' => out.push(' '),
            '\u{FFFE}' | '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Shortened to `max` characters, for labels that must fit their column.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        text.chars().take(max - 1).chain(['…']).collect()
    }
}

/// A horizontal bar chart. `id` makes the title and description ids unique on the page.
pub fn bars(id: &str, title: &str, description: &str, bars: &[Bar]) -> String {
    let height = (bars.len().max(1) as f64) * ROW + 12.0;
    let low = bars.iter().map(|b| b.value).fold(0.0f64, f64::min);
    let high = bars.iter().map(|b| b.value).fold(0.0f64, f64::max);
    let span = if high - low > 0.0 { high - low } else { 1.0 };
    let area = WIDTH - LABEL - VALUE;
    let zero = LABEL + (-low) / span * area;
    let (id, title, description) = (escape(id), escape(title), escape(description));
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {WIDTH} {height}\" \
         role=\"img\" aria-labelledby=\"{id}-t {id}-d\"><title id=\"{id}-t\">{title}</title>\
         <desc id=\"{id}-d\">{description}</desc>"
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = 6.0 + i as f64 * ROW;
        let w = (bar.value.abs() / span * area).max(if bar.value == 0.0 { 0.0 } else { 1.0 });
        let x = if bar.value < 0.0 { zero - w } else { zero };
        let (label, text) = (escape(&clip(&bar.label, 26)), escape(&bar.text));
        let class = if bar.value < 0.0 { "bar negative" } else { "bar" };
        let _ = write!(
            svg,
            "<g><text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{label}</text>\
             <rect class=\"{class}\" x=\"{x:.1}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\"><title>{}: {text}</title></rect>\
             <text class=\"value\" x=\"{}\" y=\"{}\">{text}</text></g>",
            LABEL - 8.0,
            y + 17.0,
            y + 3.0,
            ROW - 8.0,
            escape(&bar.label),
            x.max(zero) + w + 6.0,
            y + 17.0,
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_text_and_bars_scale_from_zero() {
        let chart = bars(
            "c1",
            "Revenue <by> partner",
            "Won revenue",
            &[
                Bar { label: "<script>alert(1)</script> & Co".into(), value: 100.0, text: "100 EUR".into() },
                Bar { label: "Half".into(), value: 50.0, text: "50 EUR".into() },
                Bar { label: "Loss".into(), value: -50.0, text: "-50 EUR".into() },
            ],
        );
        assert!(
            !chart.contains("<script>") && chart.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co")
        );
        assert!(chart.contains("<title id=\"c1-t\">Revenue &lt;by&gt; partner</title>"));
        // 340 units of bar area over a span of 150: 100 is 226.7 wide from the zero line at 220 + 50/150 × 340.
        assert!(chart.contains("x=\"333.3\" y=\"9\" width=\"226.7\""), "{chart}");
        assert!(chart.contains("class=\"bar negative\" x=\"220.0\""), "{chart}");
        assert_eq!(chart.matches("<rect").count(), 3);
    }

    #[test]
    fn every_character_of_a_chart_is_one_xml_allows() {
        let label: String =
            ['\u{0}', '\u{8}', '\u{1f}', '\u{7f}', '\u{85}', '\u{fffe}', '\u{ffff}', 'é', '𝄞']
                .into_iter()
                .collect();
        let chart =
            bars("c2", &label, &label, &[Bar { label: label.clone(), value: 1.0, text: label.clone() }]);
        let allowed = |c: char| matches!(c, '\t' | '\n' | '\r' | ' '..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..);
        assert!(chart.chars().all(allowed), "{chart:?}");
        assert!(chart.contains("é") && chart.contains('𝄞'), "letters stay");
    }
}
