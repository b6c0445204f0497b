//! Signed receipts, as anyone holding one sees them: the receipt's number and kinds (`check`) and
//! the public page «Проверить квитанцию» (`check_page`). The server issues, signs and draws them
//! (`server/src/receipts/`).

pub mod check;
mod check_page;

pub use check_page::ReceiptCheckPage;
