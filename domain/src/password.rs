//! The password policy from the portal's requirements («Требования к паролю»): 8 or more
//! characters with upper- and lower-case Latin letters, digits and symbols from a fixed set.

use rand::Rng;
use rand::seq::SliceRandom;
use std::fmt;

/// The symbols the policy lists: !"$%&'()+,-./:;<=>?@[^_{}~
pub const SYMBOLS: &str = "!\"$%&'()+,-./:;<=>?@[^_{}~";
pub const MIN_LENGTH: usize = 8;
/// Long enough for passphrases and password managers; bounded so hashing cost stays bounded.
pub const MAX_LENGTH: usize = 128;

/// One requirement of the policy, in the order the form lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PasswordRule {
    MinLength,
    Uppercase,
    Lowercase,
    Digit,
    Symbol,
    /// Only Latin letters, digits and the listed symbols; also the upper bound on length.
    AllowedCharacters,
}

impl PasswordRule {
    pub const ALL: [PasswordRule; 6] = [
        PasswordRule::MinLength,
        PasswordRule::Uppercase,
        PasswordRule::Lowercase,
        PasswordRule::Digit,
        PasswordRule::Symbol,
        PasswordRule::AllowedCharacters,
    ];

    pub fn is_met_by(self, password: &str) -> bool {
        match self {
            PasswordRule::MinLength => password.chars().count() >= MIN_LENGTH,
            PasswordRule::Uppercase => password.chars().any(|c| c.is_ascii_uppercase()),
            PasswordRule::Lowercase => password.chars().any(|c| c.is_ascii_lowercase()),
            PasswordRule::Digit => password.chars().any(|c| c.is_ascii_digit()),
            PasswordRule::Symbol => password.chars().any(is_listed_symbol),
            PasswordRule::AllowedCharacters => {
                password.chars().count() <= MAX_LENGTH
                    && password
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || is_listed_symbol(c))
            }
        }
    }
}

fn is_listed_symbol(c: char) -> bool {
    SYMBOLS.contains(c)
}

/// A password that meets every rule. Its `Debug` never prints the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

/// The rules a rejected password does not meet (never empty).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("password does not meet the policy: {unmet:?}")]
pub struct PasswordError {
    pub unmet: Vec<PasswordRule>,
}

impl Password {
    pub fn parse(input: &str) -> Result<Self, PasswordError> {
        let unmet = unmet_rules(input);
        if unmet.is_empty() {
            Ok(Password(input.to_owned()))
        } else {
            Err(PasswordError { unmet })
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// Which rules the text does not meet yet: the form shows this list live as the user types.
pub fn unmet_rules(input: &str) -> Vec<PasswordRule> {
    PasswordRule::ALL
        .into_iter()
        .filter(|rule| !rule.is_met_by(input))
        .collect()
}

const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
const DIGITS: &[u8] = b"23456789";
pub const GENERATED_LENGTH: usize = 16;

/// «сгенерируйте»: a random password that meets the policy. Look-alike characters (I, l, O, 0, 1)
/// are left out so the password can be copied by hand from a phone screen.
pub fn generate(rng: &mut impl Rng) -> Password {
    let symbols = SYMBOLS.as_bytes();
    let classes: [&[u8]; 4] = [UPPER, LOWER, DIGITS, symbols];
    let mut chars: Vec<u8> = classes
        .iter()
        .map(|class| class[rng.random_range(0..class.len())])
        .collect();
    let all: Vec<u8> = classes.concat();
    while chars.len() < GENERATED_LENGTH {
        chars.push(all[rng.random_range(0..all.len())]);
    }
    chars.shuffle(rng);
    let text = String::from_utf8(chars).expect("generator uses ASCII only");
    Password::parse(&text).expect("generator output meets the policy")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::SeedableRng;

    #[test]
    fn accepts_passwords_that_meet_every_rule() {
        for ok in [
            "Abcdef1!",
            "Z9y_Xw8~vu",
            "Pa$$w0rd[^{}",
            &format!("Aa1!{}", "x".repeat(124)),
        ] {
            assert!(Password::parse(ok).is_ok(), "{ok:?}");
        }
    }

    #[test]
    fn names_every_rule_a_password_misses() {
        use PasswordRule::*;
        let cases: [(&str, &[PasswordRule]); 8] = [
            ("", &[MinLength, Uppercase, Lowercase, Digit, Symbol]),
            ("Abc1!", &[MinLength]),
            ("abcdefg1!", &[Uppercase]),
            ("ABCDEFG1!", &[Lowercase]),
            ("Abcdefgh!", &[Digit]),
            ("Abcdefgh1", &[Symbol]),
            ("Abcdefg1!#", &[AllowedCharacters]), // '#' is not in the listed set
            ("Пароль1!Aa", &[AllowedCharacters]),
        ];
        for (input, expected) in cases {
            assert_eq!(unmet_rules(input), expected, "{input:?}");
        }
        let too_long = format!("Aa1!{}", "x".repeat(125));
        assert_eq!(unmet_rules(&too_long), [AllowedCharacters]);
    }

    #[test]
    fn debug_output_hides_the_secret() {
        let p = Password::parse("Abcdef1!").unwrap();
        assert_eq!(format!("{p:?}"), "Password(***)");
    }

    proptest! {
        #[test]
        fn generated_passwords_always_meet_the_policy(seed in any::<u64>()) {
            let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
            let p = generate(&mut rng);
            prop_assert_eq!(p.expose().len(), GENERATED_LENGTH);
            prop_assert!(unmet_rules(p.expose()).is_empty());
        }

        #[test]
        fn checking_never_panics(input in "\\PC{0,200}") {
            let _ = unmet_rules(&input);
        }
    }
}
