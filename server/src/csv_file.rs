//! CSV files for download: UTF-8 with a byte-order mark and `;` between cells (what a spreadsheet
//! set to Russian opens as columns without an import dialog), lines ending in CRLF, and a cell
//! that a spreadsheet would run as a formula (it begins with `=`, `+`, `-`, `@`, a tab or a CR)
//! written with a leading apostrophe, so it shows as text.

use std::borrow::Cow;

/// A cell a spreadsheet would take for a formula, written so it reads as text.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    let starts_a_formula = cell
        .trim_start_matches(' ')
        .starts_with(['=', '+', '-', '@', '\t', '\r']);
    if starts_a_formula {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The file: the headings, then each row's cells, each neutralised.
pub fn write<'a, Row>(
    headings: &[&str],
    rows: impl IntoIterator<Item = Row>,
) -> Result<Vec<u8>, csv::Error>
where
    Row: IntoIterator<Item = &'a str>,
{
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        writer.write_record(headings)?;
        for row in rows {
            let cells: Vec<Cow<'_, str>> = row.into_iter().map(neutralise).collect();
            writer.write_record(cells.iter().map(|c| c.as_ref()))?;
        }
        writer.flush()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_written_as_text() {
        let cases = [
            ("=1+1", "'=1+1"),
            ("+7 913", "'+7 913"),
            ("-5", "'-5"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("  =1", "'  =1"),
            ("Нет справки", "Нет справки"),
            ("a=b", "a=b"),
            ("", ""),
        ];
        for (cell, written) in cases {
            assert_eq!(neutralise(cell), written, "{cell:?}");
        }
    }
}
