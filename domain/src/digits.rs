//! Numbers people type with separators in them (СНИЛС, phone numbers), as digit values.

/// The digits of `input` in order, skipping the `separators`; `None` if any other character
/// appears.
pub(crate) fn separated_digits(input: &str, separators: &[char]) -> Option<Vec<u8>> {
    let mut digits = Vec::with_capacity(input.len());
    for ch in input.chars() {
        if let Some(d) = ch.to_digit(10) {
            digits.push(d as u8);
        } else if !separators.contains(&ch) {
            return None;
        }
    }
    Some(digits)
}

/// Digit values back to text: `[1, 2]` → «12».
pub(crate) fn digits_text(digits: &[u8]) -> String {
    digits.iter().map(|d| char::from(b'0' + d)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_digits_skips_separators_and_refuses_anything_else() {
        assert_eq!(separated_digits("1-2 3", &['-', ' ']), Some(vec![1, 2, 3]));
        assert_eq!(separated_digits("1_2", &['-']), None);
        assert_eq!(separated_digits("١٢", &[]), None); // only ASCII digits count
        assert_eq!(digits_text(&[0, 4, 2]), "042");
    }
}
