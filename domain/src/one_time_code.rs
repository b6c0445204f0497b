//! The rules every one-time code follows, whatever it confirms: an SMS code for a phone, a
//! second-factor challenge, a link code for a child's account. How long it lives, how many wrong
//! tries it takes, and how soon another may be sent. The server reserves each try in storage
//! before it compares (so parallel guesses cannot share one) and asks these rules what follows.

use time::{Duration, OffsetDateTime};

/// How soon another code may follow the last one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resend {
    /// Not resent: a new one is asked for by starting again (a new challenge, a new link code).
    Never,
    /// A few codes in a row at once, then one after a pause: the series ends after a quiet
    /// `pause`.
    Series { in_a_row: u32, pause: Duration },
    /// A fixed gap between any two codes, and at most `total` codes.
    Gap { gap: Duration, total: u32 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeRules {
    pub lifetime: Duration,
    pub wrong_tries: u32,
    pub resend: Resend,
}

/// The code a phone number is confirmed with (registration, a changed number, recovery, the SMS
/// second factor): ten minutes, five tries, three resends in a row, then one per five minutes.
pub const PHONE_CODE: CodeRules = CodeRules {
    lifetime: Duration::minutes(10),
    wrong_tries: 5,
    resend: Resend::Series {
        in_a_row: 3,
        pause: Duration::minutes(5),
    },
};

/// The code to a child's phone in the account wizard: a minute between codes, five per wizard.
pub const CHILD_PHONE_CODE: CodeRules = CodeRules {
    lifetime: Duration::minutes(10),
    wrong_tries: 5,
    resend: Resend::Gap {
        gap: Duration::seconds(60),
        total: 5,
    },
};

/// The second step of a sign-in: the challenge opened by the right password.
pub const SIGN_IN_CHALLENGE: CodeRules = CodeRules {
    lifetime: Duration::minutes(10),
    wrong_tries: 5,
    resend: Resend::Never,
};

/// «Привязать»: the code a parent gives the child to link an existing account.
pub const LINK_CODE: CodeRules = CodeRules {
    lifetime: Duration::hours(24),
    wrong_tries: 5,
    resend: Resend::Never,
};

/// «Полный доступ»: the code sent to the parents when a minor asks for the extended level; the
/// minor enters it. A new request is a new code.
pub const EXTENDED_ACCESS_CODE: CodeRules = CodeRules {
    lifetime: Duration::hours(24),
    wrong_tries: 5,
    resend: Resend::Never,
};

/// What a wrong code leads to, once its try has been counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WrongCode {
    TriesLeft(u32),
    /// The last try is gone: the code is dead, a new one must be sent.
    Exhausted,
}

/// The last code sent, as far as resending cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LastSent {
    pub at: OffsetDateTime,
    /// Which code of the series (`Series`) or of all codes so far (`Gap`) it was, from 0.
    pub number: u32,
}

/// Whether another code may be sent now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendDecision {
    /// Yes, as this number of its series (store it with the code).
    Allowed {
        number: u32,
    },
    Wait {
        seconds: u32,
    },
    /// No more codes this way (`Gap`'s total, or `Never`).
    NoMore,
}

impl CodeRules {
    pub fn expires_at(&self, sent_at: OffsetDateTime) -> OffsetDateTime {
        sent_at + self.lifetime
    }

    /// `tries` counts this one too: the storage's count after reserving it.
    pub fn after_wrong_try(&self, tries: u32) -> WrongCode {
        match self.wrong_tries.saturating_sub(tries) {
            0 => WrongCode::Exhausted,
            left => WrongCode::TriesLeft(left),
        }
    }

    pub fn next_send(&self, last: Option<LastSent>, now: OffsetDateTime) -> SendDecision {
        let Some(last) = last else {
            return match self.resend {
                Resend::Never => SendDecision::NoMore,
                _ => SendDecision::Allowed { number: 0 },
            };
        };
        let wait = |until: OffsetDateTime| SendDecision::Wait {
            seconds: (until - now).whole_seconds().max(1) as u32,
        };
        match self.resend {
            Resend::Never => SendDecision::NoMore,
            Resend::Series { in_a_row, pause } => {
                let pause_ends = last.at + pause;
                if pause_ends <= now {
                    // A quiet spell ends the series.
                    SendDecision::Allowed { number: 0 }
                } else if last.number < in_a_row {
                    SendDecision::Allowed {
                        number: last.number + 1,
                    }
                } else {
                    wait(pause_ends)
                }
            }
            Resend::Gap { gap, total } => {
                if last.number + 1 >= total {
                    SendDecision::NoMore
                } else if last.at + gap > now {
                    wait(last.at + gap)
                } else {
                    SendDecision::Allowed {
                        number: last.number + 1,
                    }
                }
            }
        }
    }

    /// How many more codes may follow the next one right away (for «Отправить код ещё раз»),
    /// given what [`next_send`](Self::next_send) decided.
    pub fn resends_left(&self, next: SendDecision) -> u32 {
        match (self.resend, next) {
            (Resend::Series { in_a_row, .. }, SendDecision::Allowed { number }) => {
                (in_a_row + 1).saturating_sub(number).min(in_a_row)
            }
            (Resend::Gap { total, .. }, SendDecision::Allowed { number }) => {
                total.saturating_sub(number)
            }
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-12-02 10:00 UTC);

    fn sent(minutes_ago: i64, number: u32) -> Option<LastSent> {
        Some(LastSent {
            at: NOW - Duration::minutes(minutes_ago),
            number,
        })
    }

    #[test]
    fn a_phone_code_allows_three_resends_in_a_row_then_a_pause() {
        let r = PHONE_CODE;
        assert_eq!(r.next_send(None, NOW), SendDecision::Allowed { number: 0 });
        assert_eq!(
            r.next_send(sent(0, 0), NOW),
            SendDecision::Allowed { number: 1 }
        );
        assert_eq!(
            r.next_send(sent(0, 2), NOW),
            SendDecision::Allowed { number: 3 }
        );
        assert_eq!(
            r.next_send(sent(1, 3), NOW),
            SendDecision::Wait { seconds: 240 }
        );
        assert_eq!(
            r.next_send(sent(5, 3), NOW),
            SendDecision::Allowed { number: 0 }
        );
        let left = |last| r.resends_left(r.next_send(last, NOW));
        assert_eq!(left(None), 3);
        assert_eq!(left(sent(0, 0)), 3);
        assert_eq!(left(sent(0, 2)), 1);
        assert_eq!(left(sent(0, 3)), 0);
    }

    #[test]
    fn a_childs_phone_code_waits_a_minute_and_stops_after_five() {
        let r = CHILD_PHONE_CODE;
        assert_eq!(
            r.next_send(sent(0, 0), NOW),
            SendDecision::Wait { seconds: 60 }
        );
        assert_eq!(
            r.next_send(sent(1, 0), NOW),
            SendDecision::Allowed { number: 1 }
        );
        assert_eq!(r.next_send(sent(10, 4), NOW), SendDecision::NoMore);
    }

    #[test]
    fn codes_that_are_never_resent_say_so() {
        assert_eq!(LINK_CODE.next_send(None, NOW), SendDecision::NoMore);
        assert_eq!(
            SIGN_IN_CHALLENGE.expires_at(NOW),
            NOW + Duration::minutes(10)
        );
    }

    #[test]
    fn the_fifth_wrong_try_is_the_last() {
        assert_eq!(PHONE_CODE.after_wrong_try(1), WrongCode::TriesLeft(4));
        assert_eq!(PHONE_CODE.after_wrong_try(4), WrongCode::TriesLeft(1));
        assert_eq!(PHONE_CODE.after_wrong_try(5), WrongCode::Exhausted);
        assert_eq!(PHONE_CODE.after_wrong_try(50), WrongCode::Exhausted);
    }

    proptest! {
        /// Whatever happened before, a code is never allowed sooner than the rules say, and a
        /// wait always ends.
        #[test]
        fn a_wait_is_never_zero_and_never_longer_than_the_pause(
            minutes_ago in 0i64..20, number in 0u32..10,
        ) {
            for rules in [PHONE_CODE, CHILD_PHONE_CODE] {
                if let SendDecision::Wait { seconds } = rules.next_send(sent(minutes_ago, number), NOW) {
                    prop_assert!(seconds >= 1);
                    prop_assert!(i64::from(seconds) <= 5 * 60);
                }
            }
        }
    }
}
