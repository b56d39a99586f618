//! Which characters button matching ignores: the parts emoji are made of.

/// Whether `c` belongs to an emoji (or is an invisible joiner or selector) and so says
/// nothing about which button was pressed.
pub(crate) fn is_emoji_part(c: char) -> bool {
    matches!(c,
        // ZWJ glues multi-person and profession emoji (🧑‍💼) together.
        '\u{200D}'
        // Combining enclosing keycap: the tail of 1️⃣, #️⃣, *️⃣.
        | '\u{20E3}'
        // Variation selectors, VS16 (U+FE0F) above all: clients add or drop it at will.
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{E0100}'..='\u{E01EF}'
        // Regional indicators, the halves of flags.
        | '\u{1F1E6}'..='\u{1F1FF}'
        // Skin-tone modifiers.
        | '\u{1F3FB}'..='\u{1F3FF}'
        // Tag characters, used by subdivision flags (England, Scotland).
        | '\u{E0020}'..='\u{E007F}'
    ) || is_extended_pictographic(c)
}

/// Whether `c` may start a keycap sequence (`1` + U+FE0F + U+20E3).
pub(crate) fn is_keycap_base(c: char) -> bool {
    c.is_ascii_digit() || c == '#' || c == '*'
}

fn is_extended_pictographic(c: char) -> bool {
    EXTENDED_PICTOGRAPHIC
        .binary_search_by(|&(low, high)| {
            if high < c {
                std::cmp::Ordering::Less
            } else if low > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// The `Extended_Pictographic` property of Unicode 16.0 (`emoji-data.txt`), as sorted,
/// disjoint, inclusive ranges. It covers every emoji picture, including code points reserved
/// for future emoji, so emoji added later are ignored too.
const EXTENDED_PICTOGRAPHIC: &[(char, char)] = &[
    ('\u{00A9}', '\u{00A9}'),
    ('\u{00AE}', '\u{00AE}'),
    ('\u{203C}', '\u{203C}'),
    ('\u{2049}', '\u{2049}'),
    ('\u{2122}', '\u{2122}'),
    ('\u{2139}', '\u{2139}'),
    ('\u{2194}', '\u{2199}'),
    ('\u{21A9}', '\u{21AA}'),
    ('\u{231A}', '\u{231B}'),
    ('\u{2328}', '\u{2328}'),
    ('\u{2388}', '\u{2388}'),
    ('\u{23CF}', '\u{23CF}'),
    ('\u{23E9}', '\u{23F3}'),
    ('\u{23F8}', '\u{23FA}'),
    ('\u{24C2}', '\u{24C2}'),
    ('\u{25AA}', '\u{25AB}'),
    ('\u{25B6}', '\u{25B6}'),
    ('\u{25C0}', '\u{25C0}'),
    ('\u{25FB}', '\u{25FE}'),
    ('\u{2600}', '\u{2605}'),
    ('\u{2607}', '\u{2612}'),
    ('\u{2614}', '\u{2685}'),
    ('\u{2690}', '\u{2705}'),
    ('\u{2708}', '\u{2712}'),
    ('\u{2714}', '\u{2714}'),
    ('\u{2716}', '\u{2716}'),
    ('\u{271D}', '\u{271D}'),
    ('\u{2721}', '\u{2721}'),
    ('\u{2728}', '\u{2728}'),
    ('\u{2733}', '\u{2734}'),
    ('\u{2744}', '\u{2744}'),
    ('\u{2747}', '\u{2747}'),
    ('\u{274C}', '\u{274C}'),
    ('\u{274E}', '\u{274E}'),
    ('\u{2753}', '\u{2755}'),
    ('\u{2757}', '\u{2757}'),
    ('\u{2763}', '\u{2767}'),
    ('\u{2795}', '\u{2797}'),
    ('\u{27A1}', '\u{27A1}'),
    ('\u{27B0}', '\u{27B0}'),
    ('\u{27BF}', '\u{27BF}'),
    ('\u{2934}', '\u{2935}'),
    ('\u{2B05}', '\u{2B07}'),
    ('\u{2B1B}', '\u{2B1C}'),
    ('\u{2B50}', '\u{2B50}'),
    ('\u{2B55}', '\u{2B55}'),
    ('\u{3030}', '\u{3030}'),
    ('\u{303D}', '\u{303D}'),
    ('\u{3297}', '\u{3297}'),
    ('\u{3299}', '\u{3299}'),
    ('\u{1F000}', '\u{1F0FF}'),
    ('\u{1F10D}', '\u{1F10F}'),
    ('\u{1F12F}', '\u{1F12F}'),
    ('\u{1F16C}', '\u{1F171}'),
    ('\u{1F17E}', '\u{1F17F}'),
    ('\u{1F18E}', '\u{1F18E}'),
    ('\u{1F191}', '\u{1F19A}'),
    ('\u{1F1AD}', '\u{1F1E5}'),
    ('\u{1F201}', '\u{1F20F}'),
    ('\u{1F21A}', '\u{1F21A}'),
    ('\u{1F22F}', '\u{1F22F}'),
    ('\u{1F232}', '\u{1F23A}'),
    ('\u{1F23C}', '\u{1F23F}'),
    ('\u{1F249}', '\u{1F3FA}'),
    ('\u{1F400}', '\u{1F53D}'),
    ('\u{1F546}', '\u{1F64F}'),
    ('\u{1F680}', '\u{1F6FF}'),
    ('\u{1F774}', '\u{1F77F}'),
    ('\u{1F7D5}', '\u{1F7FF}'),
    ('\u{1F80C}', '\u{1F80F}'),
    ('\u{1F848}', '\u{1F84F}'),
    ('\u{1F85A}', '\u{1F85F}'),
    ('\u{1F888}', '\u{1F88F}'),
    ('\u{1F8AE}', '\u{1F8FF}'),
    ('\u{1F90C}', '\u{1F93A}'),
    ('\u{1F93C}', '\u{1F945}'),
    ('\u{1F947}', '\u{1FAFF}'),
    ('\u{1FC00}', '\u{1FFFD}'),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pictographic_table_is_sorted_and_disjoint() {
        for pair in EXTENDED_PICTOGRAPHIC.windows(2) {
            if let [(low, high), (next_low, _)] = pair {
                assert!(low <= high && high < next_low, "{pair:?}");
            }
        }
    }

    #[test]
    fn emoji_parts_are_recognised_and_letters_are_not() {
        let check = |c: char, expected: bool| {
            assert_eq!(is_emoji_part(c), expected, "U+{:04X} {c}", u32::from(c));
        };
        for c in "🗂👤🌐❓🛡🧑💼⬅➕📋❌⏭✅🗑🔎👁✏↩🔄🗺©®\u{FE0F}\u{FE0E}\u{200D}\u{20E3}🇷🇺🏽".chars()
        {
            check(c, true);
        }
        for c in "aZяЁếệ한국 0#(/)…-".chars() {
            check(c, false);
        }
    }
}
