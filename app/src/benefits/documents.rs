//! «Документы» of an application: the files the benefit requires. «Добавить документ» takes a
//! PDF, JPEG or PNG up to 5 MB; the browser checks the type and size before uploading, the server
//! again by content while the file streams in. An accepted file is «В обработке» until the
//! server's scan check (resolution, a blank page) says «Одобрено» or «Отклонено» with the reason.
//! A file is the parent's: it can be reused in another application, replaced or deleted.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::catalogue::RequiredDocument;
use crate::api::{ApiError, FieldError};
#[cfg(feature = "ssr")]
use crate::api::{ServiceError, SignedInAccount, request, service};
use crate::components::Tone;

/// The largest file accepted: 5 MB.
pub const MAX_FILE_BYTES: u64 = 5 * 1024 * 1024;
/// Where «Сохранить» sends the file (multipart: `draft` or `application`, `requirement`, `file`).
pub const UPLOAD_PATH: &str = "/documents/uploads";
/// The longest file name kept (characters); longer names are shortened, keeping the extension.
pub const MAX_FILE_NAME_CHARS: usize = 100;
/// What `<input type=file accept>` offers.
pub const ACCEPT: &str = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png";

/// The upload's form fields, and where an upload's errors show.
pub mod fields {
    pub const DRAFT: &str = "draft";
    /// Instead of `draft`: a file for the application's answer to a clarification or its appeal.
    pub const APPLICATION: &str = "application";
    pub const REQUIREMENT: &str = "requirement";
    pub const FILE: &str = "file";

    /// The file input of one required document; its errors show there.
    pub fn slot(requirement: super::RequiredDocument) -> String {
        format!("document-{}", requirement.code())
    }
}

/// What an upload is for: a draft's required document, or a file sent later with an answer to
/// a clarification or an appeal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadTarget {
    Draft(i64),
    Application(i64),
}

impl UploadTarget {
    /// The form's first field: its name and value.
    pub fn field(self) -> (&'static str, String) {
        match self {
            UploadTarget::Draft(id) => (fields::DRAFT, id.to_string()),
            UploadTarget::Application(id) => (fields::APPLICATION, id.to_string()),
        }
    }
}

/// The three kinds of file accepted, as the content (not the name) says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Pdf,
    Jpeg,
    Png,
}

impl FileKind {
    pub const ALL: [FileKind; 3] = [FileKind::Pdf, FileKind::Jpeg, FileKind::Png];

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Jpeg => "jpeg",
            FileKind::Png => "png",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == code)
    }

    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Jpeg => "jpg",
            FileKind::Png => "png",
        }
    }

    /// By the name's extension, as the browser can tell before uploading.
    pub fn by_name(name: &str) -> Option<Self> {
        let (_, extension) = name.rsplit_once('.')?;
        match extension.to_ascii_lowercase().as_str() {
            "pdf" => Some(FileKind::Pdf),
            "jpg" | "jpeg" => Some(FileKind::Jpeg),
            "png" => Some(FileKind::Png),
            _ => None,
        }
    }
}

/// Where an uploaded file stands, in the seed's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UploadStatus {
    /// Accepted; the scan check runs.
    Processing,
    Approved,
    Rejected,
}

impl UploadStatus {
    pub const ALL: [UploadStatus; 3] = [
        UploadStatus::Processing,
        UploadStatus::Approved,
        UploadStatus::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UploadStatus::Processing => "processing",
            UploadStatus::Approved => "approved",
            UploadStatus::Rejected => "rejected",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            UploadStatus::Processing => "В обработке",
            UploadStatus::Approved => "Одобрено",
            UploadStatus::Rejected => "Отклонено",
        }
    }

    pub fn tone(self) -> Tone {
        match self {
            UploadStatus::Processing => Tone::Info,
            UploadStatus::Approved => Tone::Success,
            UploadStatus::Rejected => Tone::Error,
        }
    }
}

/// Why the scan check refused a file that was accepted as a PDF, JPEG or PNG.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rejection {
    /// Fewer pixels than the document's paper size at 300 dpi (`found` × and `needed` ×).
    LowResolution {
        found: (u32, u32),
        needed: (u32, u32),
    },
    /// A scanned PDF page below 300 dpi.
    LowScanDpi { dpi: u32 },
    /// Nearly one colour: no document on it, or far too dark or light to read.
    Blank,
}

impl Rejection {
    /// The reason as the parent reads it, with what to do.
    pub fn reason(self) -> String {
        match self {
            Rejection::LowResolution { found, needed } => format!(
                "Разрешение ниже 300 dpi: на снимке {} × {} точек, а для этого документа нужно не меньше \
                 {} × {}. Отсканируйте документ с разрешением 300 dpi или сфотографируйте ближе",
                found.0, found.1, needed.0, needed.1
            ),
            Rejection::LowScanDpi { dpi } => format!(
                "Скан в PDF сделан с разрешением около {dpi} dpi, а нужно не меньше 300 dpi. \
                 Отсканируйте документ заново"
            ),
            Rejection::Blank => "Изображение пустое или нечитаемое: на нём не видно документа. \
                 Сфотографируйте документ при хорошем освещении"
                .to_owned(),
        }
    }
}

/// The paper a document is at its smallest, in millimetres, for the 300 dpi rule: a photo or scan
/// must have at least the pixels this paper has at 300 dpi.
pub fn smallest_paper_mm(requirement: RequiredDocument) -> (u32, u32) {
    match requirement {
        // One page of the passport.
        RequiredDocument::Passport => (88, 125),
        // The green plastic card (the newer A4 notice is larger).
        RequiredDocument::Snils => (58, 88),
        // The booklet of a large family's certificate.
        RequiredDocument::LargeFamily => (70, 100),
        // Certificates issued before 2018 are A5.
        RequiredDocument::BirthCertificate => (148, 210),
        // Справки and contracts are A4.
        RequiredDocument::Residence
        | RequiredDocument::School
        | RequiredDocument::Medical
        | RequiredDocument::ServiceContract
        | RequiredDocument::Income
        | RequiredDocument::Other => (210, 297),
    }
}

/// The fewest pixels (shorter side, longer side) that are 300 dpi for the document.
pub fn pixels_needed(requirement: RequiredDocument) -> (u32, u32) {
    let (short, long) = smallest_paper_mm(requirement);
    // 300 dots per 25.4 mm, rounded down: a scan at exactly 300 dpi passes.
    let pixels = |mm: u32| mm * 3000 / 254;
    (pixels(short), pixels(long))
}

/// One uploaded file, as the parent's lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentView {
    pub id: i64,
    pub requirement: RequiredDocument,
    /// As the parent named it, made safe to show and to download under.
    pub file_name: String,
    pub kind: FileKind,
    pub size_bytes: u64,
    /// SHA-256 of the content, in hex: the receipt lists it.
    pub sha256: String,
    /// «03.12.2026 14:05», Moscow time.
    pub uploaded_at: String,
    pub status: UploadStatus,
    pub rejection: Option<Rejection>,
}

impl DocumentView {
    /// The owner's download.
    pub fn href(&self) -> String {
        format!("{UPLOAD_PATH}/{}", self.id)
    }

    /// «PDF, 1,2 МБ».
    pub fn describe(&self) -> String {
        format!(
            "{}, {}",
            self.kind.extension().to_uppercase(),
            size_text(self.size_bytes)
        )
    }
}

/// «1,2 МБ», «340 КБ».
pub fn size_text(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        let tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
        format!("{},{} МБ", tenths / 10, tenths % 10)
    } else {
        format!("{} КБ", bytes.div_ceil(1024))
    }
}

/// One required document of the draft: what is attached, if anything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    pub requirement: RequiredDocument,
    pub attached: Option<DocumentView>,
}

/// The documents page of a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftDocuments {
    pub draft_id: i64,
    pub slots: Vec<Slot>,
    /// The parent's other files, newest first, to reuse («Выбрать загруженный ранее»).
    pub earlier: Vec<DocumentView>,
    /// Changes whenever anything above does: the page asks with it while a check runs.
    pub version: String,
}

impl DraftDocuments {
    /// Some file is still «В обработке».
    pub fn checking(&self) -> bool {
        self.slots.iter().any(|slot| {
            slot.attached
                .as_ref()
                .is_some_and(|d| d.status == UploadStatus::Processing)
        })
    }
}

/// What stops «Отправить»: each required document missing, rejected or still being checked,
/// named, at its slot.
pub fn missing_documents(slots: &[Slot]) -> Vec<FieldError> {
    slots
        .iter()
        .filter_map(|slot| {
            let field = fields::slot(slot.requirement);
            let title = slot.requirement.title();
            let (code, message) = match slot.attached.as_ref().map(|d| d.status) {
                Some(UploadStatus::Approved) => return None,
                None => ("documents.missing", format!("Добавьте документ: {title}")),
                Some(UploadStatus::Rejected) => (
                    "documents.rejected",
                    format!("Документ отклонён — загрузите исправленный: {title}"),
                ),
                Some(UploadStatus::Processing) => (
                    "documents.processing",
                    format!("Документ ещё проверяется — подождите несколько секунд: {title}"),
                ),
            };
            Some(FieldError::new(&field, code, &message))
        })
        .collect()
}

/// What the browser can tell of a chosen file before it is sent: its name's type and its size.
/// The server decides by content.
pub fn check_choice(field: &str, name: &str, size: u64) -> Result<FileKind, FieldError> {
    if size == 0 {
        return Err(FieldError::new(
            field,
            "file.empty",
            "Файл пустой — выберите файл с документом",
        ));
    }
    if size > MAX_FILE_BYTES {
        return Err(too_large(field));
    }
    FileKind::by_name(name).ok_or_else(|| wrong_type(field))
}

pub fn too_large(field: &str) -> FieldError {
    FieldError::new(
        field,
        "file.too_large",
        "Файл больше 5 МБ. Уменьшите его (например, сохраните скан в меньшем качестве) и загрузите снова",
    )
}

pub fn wrong_type(field: &str) -> FieldError {
    FieldError::new(
        field,
        "file.type",
        "Можно загрузить только PDF, JPEG или PNG",
    )
}

/// The name a file is shown and downloaded under: the last part of what the browser sent, without
/// control, direction-changing or path characters, at most `MAX_FILE_NAME_CHARS`, and with the
/// extension of what the content is. A name that leaves nothing becomes «документ».
pub fn safe_file_name(raw: &str, kind: FileKind) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !is_direction_mark(*c))
        .map(|c| {
            if matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*' | ';') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let stem = match cleaned.rsplit_once('.') {
        Some((stem, _)) => stem,
        None => cleaned.as_str(),
    };
    let stem = stem.trim().trim_matches('.').trim();
    let stem = if stem.is_empty() {
        "документ"
    } else {
        stem
    };
    let extension = kind.extension();
    let room = MAX_FILE_NAME_CHARS - extension.len() - 1;
    let stem: String = stem.chars().take(room).collect();
    format!("{}.{extension}", stem.trim_end())
}

fn is_direction_mark(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

/// The documents page of a draft; `None` when it is still at `known` (the page shows it already).
#[server(prefix = "/api", endpoint = "benefits/draft-documents")]
pub async fn load_draft_documents(
    draft_id: i64,
    known: Option<String>,
) -> Result<Option<DraftDocuments>, ApiError> {
    let parent = request::require_confirmed_account().await?;
    Ok(service::<dyn DocumentLibrary>()?
        .for_draft(&parent, draft_id, known)
        .await?)
}

/// «Выбрать»: a file uploaded earlier becomes the draft's document for `requirement`.
#[server(prefix = "/api", endpoint = "benefits/draft-document-reuse")]
pub async fn reuse_document(
    draft_id: i64,
    requirement: RequiredDocument,
    document_id: i64,
) -> Result<DraftDocuments, ApiError> {
    let parent = request::require_confirmed_account().await?;
    Ok(service::<dyn DocumentLibrary>()?
        .reuse(&parent, draft_id, requirement, document_id)
        .await?)
}

/// «Удалить»: the file is gone from every draft and from the parent's files. An application that
/// was sent with it keeps its copy.
#[server(prefix = "/api", endpoint = "benefits/document-delete")]
pub async fn delete_document(draft_id: i64, document_id: i64) -> Result<DraftDocuments, ApiError> {
    let parent = request::require_confirmed_account().await?;
    Ok(service::<dyn DocumentLibrary>()?
        .delete(&parent, draft_id, document_id)
        .await?)
}

/// The parent's files and the drafts' documents. Every method names the parent: another family's
/// draft or file reads as `Refusal::NotFound`. Uploading is the route at [`UPLOAD_PATH`].
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait DocumentLibrary: Send + Sync {
    async fn for_draft(
        &self,
        parent: &SignedInAccount,
        draft_id: i64,
        known: Option<String>,
    ) -> Result<Option<DraftDocuments>, ServiceError>;

    async fn reuse(
        &self,
        parent: &SignedInAccount,
        draft_id: i64,
        requirement: RequiredDocument,
        document_id: i64,
    ) -> Result<DraftDocuments, ServiceError>;

    async fn delete(
        &self,
        parent: &SignedInAccount,
        draft_id: i64,
        document_id: i64,
    ) -> Result<DraftDocuments, ServiceError>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_browser_refuses_empty_large_and_foreign_files_before_sending() {
        let field = "document-passport";
        assert_eq!(check_choice(field, "скан.PDF", 10), Ok(FileKind::Pdf));
        assert_eq!(check_choice(field, "photo.jpeg", 10), Ok(FileKind::Jpeg));
        assert_eq!(
            check_choice(field, "a.png", MAX_FILE_BYTES),
            Ok(FileKind::Png)
        );
        assert_eq!(
            check_choice(field, "a.png", 0).unwrap_err().code,
            "file.empty"
        );
        assert_eq!(
            check_choice(field, "a.png", MAX_FILE_BYTES + 1)
                .unwrap_err()
                .code,
            "file.too_large"
        );
        assert_eq!(
            check_choice(field, "setup.exe", 10).unwrap_err().code,
            "file.type"
        );
        assert_eq!(
            check_choice(field, "pdf", 10).unwrap_err().code,
            "file.type"
        );
    }

    #[test]
    fn hostile_names_become_plain_names_with_the_contents_extension() {
        assert_eq!(
            safe_file_name("../../etc/passwd", FileKind::Pdf),
            "passwd.pdf"
        );
        assert_eq!(
            safe_file_name("C:\\Users\\a\\скан паспорта.PDF", FileKind::Pdf),
            "скан паспорта.pdf"
        );
        assert_eq!(safe_file_name("\u{202e}gpj.exe", FileKind::Png), "gpj.png");
        assert_eq!(
            safe_file_name("<script>.pdf", FileKind::Pdf),
            "_script_.pdf"
        );
        assert_eq!(safe_file_name("photo.pdf", FileKind::Jpeg), "photo.jpg");
        assert_eq!(safe_file_name("...", FileKind::Png), "документ.png");
        assert_eq!(safe_file_name("", FileKind::Pdf), "документ.pdf");
        assert_eq!(safe_file_name("a\r\nb.pdf", FileKind::Pdf), "ab.pdf");
    }

    #[test]
    fn three_hundred_dpi_of_a_passport_page_is_1039_by_1476_pixels() {
        assert_eq!(pixels_needed(RequiredDocument::Passport), (1039, 1476));
        assert_eq!(pixels_needed(RequiredDocument::Income), (2480, 3507));
    }

    #[test]
    fn sizes_read_as_the_parent_expects() {
        assert_eq!(size_text(1), "1 КБ");
        assert_eq!(size_text(340 * 1024), "340 КБ");
        assert_eq!(size_text(5 * 1024 * 1024), "5,0 МБ");
        assert_eq!(size_text(1_258_291), "1,2 МБ");
    }

    #[test]
    fn only_approved_documents_let_the_application_go() {
        let doc = |status| DocumentView {
            id: 1,
            requirement: RequiredDocument::Passport,
            file_name: "a.pdf".into(),
            kind: FileKind::Pdf,
            size_bytes: 1,
            sha256: String::new(),
            uploaded_at: String::new(),
            status,
            rejection: None,
        };
        let slots = |attached| {
            vec![Slot {
                requirement: RequiredDocument::Passport,
                attached,
            }]
        };
        assert!(missing_documents(&slots(Some(doc(UploadStatus::Approved)))).is_empty());
        for (attached, code) in [
            (None, "documents.missing"),
            (Some(doc(UploadStatus::Rejected)), "documents.rejected"),
            (Some(doc(UploadStatus::Processing)), "documents.processing"),
        ] {
            let found = missing_documents(&slots(attached));
            assert_eq!(found.len(), 1);
            assert_eq!(found[0].code, code);
            assert_eq!(found[0].field, "document-passport");
        }
    }

    proptest! {
        #[test]
        fn any_name_is_safe_short_and_typed_by_content(raw in "\\PC{0,300}") {
            let name = safe_file_name(&raw, FileKind::Png);
            prop_assert!(name.chars().count() <= MAX_FILE_NAME_CHARS);
            prop_assert!(name.ends_with(".png"));
            prop_assert!(!name.contains(['/', '\\', '"', '<', '>']));
            prop_assert!(!name.chars().any(|c| c.is_control() || is_direction_mark(c)));
            prop_assert!(name.len() > ".png".len());
        }
    }
}
