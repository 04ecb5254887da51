//! Signed files. The vendor's word (the programme file, decision files) and,
//! when the programme lists a partner's key, that partner's submissions carry an
//! Ed25519 signature, so a file edited or forged on the way is refused.
//!
//! A signed file is the document as this crate writes it (pretty JSON, lines
//! ending in LF, no newline at the end) with one last member, `"signature"`,
//! written exactly as [`KeyPair::sign`] writes it. What is signed is the
//! exact text before that member, closed with `\n}`. A reader verifies those
//! bytes and reads the document from them alone, so nothing outside the
//! signed bytes is believed.
//!
//! What mail clients and editors do to a file in transit is undone before
//! anything is checked, and nothing else: a byte-order mark at the start,
//! CRLF line endings, and white space after the last brace. Any other changed
//! byte, the signature member's included, is refused, and a file whose layout
//! was changed (re-indented by an editor, say) is refused as that, not as an
//! unknown field. Keys and signatures are standard base64.
//!
//! Which key must have signed a file is decided by the reader's programme
//! ([`expect`]): the vendor's key (`vendorKey`) for programmes and decisions, a
//! partner's `signingKey` for its submissions. Where the programme names no
//! key, files are read unsigned, as before signatures existed.

use base64ct::{Base64, Encoding};
use chrono::{DateTime, Utc};
use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problem};
use crate::exchange::{self, Kind};

/// Version 2: the secret key locked with a passphrase (`locked`).
pub const KEY_KIND: Kind = Kind { what: "key file", format: "dealreg.key", version: 2 };

/// Where a desk keeps its key: beside the desk, never inside it, so no backup carries it.
pub const KEY_STORAGE: &str = "dealreg.key";

/// Where a partner desk keeps the vendor key it trusts: beside the desk,
/// never inside it, so loading data, restoring a backup or starting over
/// cannot change it. It changes only when the partner chooses another key.
pub const TRUST_STORAGE: &str = "dealreg.trust";
pub const TRUST_KIND: Kind = Kind { what: "trusted vendor key", format: "dealreg.trust", version: 1 };

/// The vendor key a partner desk trusts: the trust anchor every programme
/// and decision file from the vendor is checked against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TrustedKey {
    pub format: String,
    pub version: u32,
    /// The vendor's public key, base64 (32 bytes).
    pub vendor_key: String,
    /// The vendor and programme the key was first trusted for, as the signed programme named them.
    pub vendor: String,
    pub programme_id: String,
    pub since: DateTime<Utc>,
}

impl TrustedKey {
    pub fn new(vendor_key: &str, vendor: &str, programme_id: &str, since: DateTime<Utc>) -> TrustedKey {
        TrustedKey {
            format: TRUST_KIND.format.into(),
            version: TRUST_KIND.version,
            vendor_key: vendor_key.into(),
            vendor: vendor.into(),
            programme_id: programme_id.into(),
            since,
        }
    }

    /// Reads the kept trust anchor; the key must be an Ed25519 public key.
    pub fn from_json(text: &str) -> Result<TrustedKey, Error> {
        let trusted: TrustedKey = exchange::read(text, TRUST_KIND)?;
        if !is_public_key(&trusted.vendor_key) {
            let problem = Problem::new("$.vendorKey", "is not an Ed25519 public key in base64");
            return Err(Error::invalid(TRUST_KIND.what, vec![problem]));
        }
        Ok(trusted)
    }
}

const ALGORITHM: &str = "ed25519";
/// What comes between the signed body and the signature; JSON strings cannot
/// hold a raw newline, so this only occurs between top-level members.
const MARKER: &str = ",\n  \"signature\": ";
const END: &str = "\n}";

/// The signature member of a signed file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Signature {
    /// Always "ed25519".
    pub algorithm: String,
    /// The public key that signed, base64 (32 bytes).
    pub key: String,
    /// The signature of the file's text without this member, base64 (64 bytes).
    pub value: String,
}

/// A desk's signing key. Its `Debug` shows the public half only, so no log or
/// error message can carry the secret.
#[derive(Clone)]
pub struct KeyPair(SigningKey);

impl std::fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KeyPair({})", self.public_key())
    }
}

/// The key file: the only place a desk's secret key leaves the desk. The
/// file exported is locked with a passphrase (`locked`); the copy a desk
/// keeps in its browser's storage, and files of version 1, are not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KeyFile {
    pub format: String,
    pub version: u32,
    /// Always the same text: what this file is and how to keep it.
    pub warning: String,
    pub public_key: String,
    /// How the secret key is locked; absent when it is not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked: Option<Lock>,
    /// The secret key's 32 bytes in base64; locked, the 48 bytes XChaCha20-Poly1305 sealed them into.
    pub secret_key: String,
    pub created_at: DateTime<Utc>,
}

/// How a key file's secret key is locked: the passphrase stretched by
/// Argon2id into the key of XChaCha20-Poly1305, which seals the secret key
/// with the public key as associated data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Lock {
    /// Always "argon2id".
    pub kdf: String,
    /// Argon2's memory in KiB (19,456 written: OWASP's minimum), its passes and lanes.
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
    /// 16 random bytes, base64.
    pub salt: String,
    /// Always "xchacha20poly1305".
    pub cipher: String,
    /// 24 random bytes, base64.
    pub nonce: String,
}

const WARNING: &str = "This file holds a secret key: anyone who has it, and its passphrase, can \
sign programmes and decisions in your name. Keep it offline and never send it to a partner.";

/// Argon2id as written: OWASP's recommended minimum (19 MiB, 2 passes, 1 lane).
const MEMORY_KIB: u32 = 19_456;
const ITERATIONS: u32 = 2;
/// What a key file may ask of a reader, so a hostile one cannot make the page
/// allocate gigabytes or spin for minutes.
const MAX_MEMORY_KIB: u32 = 256 * 1024;
const MAX_ITERATIONS: u32 = 16;
/// The shortest passphrase a key file is locked with.
pub const MIN_PASSPHRASE: usize = 10;

/// Random bytes for locking a key file: the salt, then the nonce.
pub type LockRandom = [u8; 40];

impl KeyPair {
    /// The key made from 32 random bytes (the page takes them from `crypto.getRandomValues`).
    pub fn from_seed(seed: &[u8]) -> Result<KeyPair, Error> {
        let seed: [u8; 32] = seed.try_into().map_err(|_| {
            Error::Refused(format!("a signing key is made from 32 random bytes, not {}", seed.len()))
        })?;
        if seed.iter().all(|&b| b == 0) {
            return Err(Error::Refused("the random bytes for a signing key are all zero".into()));
        }
        Ok(KeyPair(SigningKey::from_bytes(&seed)))
    }

    /// The secret key, base64: for the one file that carries it to its
    /// owner's desk (an invitation). Never shown, logged or stored elsewhere.
    pub fn secret_base64(&self) -> String {
        Base64::encode_string(self.0.as_bytes())
    }

    /// The public key, base64: what the programme names and signatures carry.
    pub fn public_key(&self) -> String {
        Base64::encode_string(self.0.verifying_key().as_bytes())
    }

    /// `document` as a signed file.
    pub fn sign<T: Serialize>(&self, document: &T) -> String {
        let body = crate::exchange::pretty(document);
        let signature = Signature {
            algorithm: ALGORITHM.into(),
            key: self.public_key(),
            value: Base64::encode_string(&self.0.sign(body.as_bytes()).to_bytes()),
        };
        let open = body.strip_suffix(END).expect("a pretty JSON object ends with a newline and a brace");
        format!("{open}{MARKER}{}{END}", serde_json::to_string(&signature).expect("a signature serialises"))
    }

    /// The key as a file, not locked: the copy a desk keeps in its own
    /// browser's storage (see [`Self::to_locked_file`] for the one exported).
    pub fn to_file(&self, now: DateTime<Utc>) -> String {
        exchange::pretty(&self.key_file(None, Base64::encode_string(self.0.as_bytes()), now))
    }

    fn key_file(&self, locked: Option<Lock>, secret_key: String, now: DateTime<Utc>) -> KeyFile {
        KeyFile {
            format: KEY_KIND.format.into(),
            version: KEY_KIND.version,
            warning: WARNING.into(),
            public_key: self.public_key(),
            locked,
            secret_key,
            created_at: now,
        }
    }

    /// The key file exported: the secret key locked with `passphrase`
    /// (see [`Lock`]); `random` gives the salt and the nonce.
    pub fn to_locked_file(
        &self,
        passphrase: &str,
        random: LockRandom,
        now: DateTime<Utc>,
    ) -> Result<String, Error> {
        if passphrase.chars().count() < MIN_PASSPHRASE {
            return Err(Error::Refused(format!(
                "a passphrase of at least {MIN_PASSPHRASE} characters locks the key file; a few words are easy to remember"
            )));
        }
        let (salt, nonce) = random.split_at(16);
        let lock = Lock {
            kdf: "argon2id".into(),
            memory_kib: MEMORY_KIB,
            iterations: ITERATIONS,
            parallelism: 1,
            salt: Base64::encode_string(salt),
            cipher: "xchacha20poly1305".into(),
            nonce: Base64::encode_string(nonce),
        };
        let sealed = seal(&lock, passphrase, self.0.verifying_key().as_bytes(), self.0.as_bytes())?;
        Ok(exchange::pretty(&self.key_file(Some(lock), Base64::encode_string(&sealed), now)))
    }

    /// Reads a key file; the secret must give the public key the file names.
    /// A locked file needs its passphrase; a wrong one is refused as that.
    pub fn from_file(text: &str, passphrase: Option<&str>) -> Result<KeyPair, Error> {
        let file: KeyFile = exchange::read(text, KEY_KIND)?;
        let invalid =
            |path: &str, message: &str| Error::invalid(KEY_KIND.what, vec![Problem::new(path, message)]);
        let secret =
            Base64::decode_vec(&file.secret_key).map_err(|_| invalid("$.secretKey", "is not base64 text"))?;
        let public = Base64::decode_vec(&file.public_key).ok().filter(|k| k.len() == 32);
        let public = public.ok_or_else(|| invalid("$.publicKey", "is not 32 bytes of a key in base64"))?;
        let seed = match (&file.locked, passphrase) {
            (None, _) => secret,
            (Some(_), None) => {
                return Err(Error::Refused(
                    "this key file is locked with a passphrase: give the passphrase to read it".into(),
                ))
            }
            (Some(lock), Some(passphrase)) => {
                check_lock(lock).map_err(|(path, message)| invalid(path, &message))?;
                open_sealed(lock, passphrase, &public, &secret)?
            }
        };
        let key =
            KeyPair::from_seed(&seed).map_err(|_| invalid("$.secretKey", "is not 32 bytes of a key"))?;
        if key.public_key() != file.public_key {
            return Err(invalid(
                "$.publicKey",
                "is not the public half of this secret key: the file was edited",
            ));
        }
        Ok(key)
    }
}

/// Whether a key file is locked with a passphrase (so the page asks for it).
pub fn is_locked_key_file(text: &str) -> Result<bool, Error> {
    let file: KeyFile = exchange::read(text, KEY_KIND)?;
    Ok(file.locked.is_some())
}

/// What a reader accepts of a lock, or the field and why not.
fn check_lock(lock: &Lock) -> Result<(), (&'static str, String)> {
    if lock.kdf != "argon2id" {
        return Err(("$.locked.kdf", format!("is {:?}; expected \"argon2id\"", lock.kdf)));
    }
    if lock.cipher != "xchacha20poly1305" {
        return Err(("$.locked.cipher", format!("is {:?}; expected \"xchacha20poly1305\"", lock.cipher)));
    }
    if !(8..=MAX_MEMORY_KIB).contains(&lock.memory_kib) {
        return Err(("$.locked.memoryKib", format!("must be from 8 to {MAX_MEMORY_KIB}")));
    }
    if !(1..=MAX_ITERATIONS).contains(&lock.iterations) {
        return Err(("$.locked.iterations", format!("must be from 1 to {MAX_ITERATIONS}")));
    }
    if !(1..=4).contains(&lock.parallelism) {
        return Err(("$.locked.parallelism", "must be from 1 to 4".into()));
    }
    Ok(())
}

/// The 32-byte key Argon2id stretches `passphrase` into, as `lock` says.
fn stretch(lock: &Lock, passphrase: &str) -> Result<chacha20poly1305::Key, Error> {
    let invalid =
        |path: &str, message: &str| Error::invalid(KEY_KIND.what, vec![Problem::new(path, message)]);
    let salt = Base64::decode_vec(&lock.salt).map_err(|_| invalid("$.locked.salt", "is not base64 text"))?;
    let params = argon2::Params::new(lock.memory_kib, lock.iterations, lock.parallelism, Some(32))
        .map_err(|e| invalid("$.locked", &format!("is not a setting of Argon2id ({e})")))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = chacha20poly1305::Key::default();
    argon
        .hash_password_into(passphrase.as_bytes(), &salt, &mut key)
        .map_err(|e| invalid("$.locked.salt", &format!("cannot be used ({e})")))?;
    Ok(key)
}

/// `secret` sealed under the key stretched from `passphrase`, bound to `public`.
fn seal(lock: &Lock, passphrase: &str, public: &[u8], msg: &[u8]) -> Result<Vec<u8>, Error> {
    use chacha20poly1305::aead::{Aead, KeyInit, Payload};
    let cipher = chacha20poly1305::XChaCha20Poly1305::new(&stretch(lock, passphrase)?);
    let nonce = Base64::decode_vec(&lock.nonce).unwrap_or_default();
    cipher
        .encrypt(chacha20poly1305::XNonce::from_slice(&nonce), Payload { msg, aad: public })
        .map_err(|_| Error::Refused("the key file could not be locked".into()))
}

/// The secret key a locked file holds, or a refusal naming the passphrase.
fn open_sealed(lock: &Lock, passphrase: &str, public: &[u8], sealed: &[u8]) -> Result<Vec<u8>, Error> {
    use chacha20poly1305::aead::{Aead, KeyInit, Payload};
    let nonce = Base64::decode_vec(&lock.nonce).ok().filter(|n| n.len() == 24).ok_or_else(|| {
        Error::invalid(KEY_KIND.what, vec![Problem::new("$.locked.nonce", "is not 24 bytes in base64")])
    })?;
    let cipher = chacha20poly1305::XChaCha20Poly1305::new(&stretch(lock, passphrase)?);
    cipher
        .decrypt(chacha20poly1305::XNonce::from_slice(&nonce), Payload { msg: sealed, aad: public })
        .map_err(|_| {
            Error::Refused(
                "the passphrase is not the one this key file was locked with (or the file was changed)"
                    .into(),
            )
        })
}

/// A file split into the text that was signed and its signature, if any.
#[derive(Debug)]
pub struct Opened {
    /// The document: the signed text, or the whole file when unsigned.
    pub body: String,
    pub signature: Option<Signature>,
}

/// Splits a file's text into its body and signature. Finding nothing that
/// looks like a signature is not an error: the file is then unsigned.
pub fn open(text: &str, kind: Kind) -> Result<Opened, Error> {
    let fail = |message: &str| Error::invalid(kind.what, vec![Problem::new("$.signature", message)]);
    let text = in_transit_undone(text);
    let unsigned = |text: String| {
        if text.contains("\"signature\"") && has_signature_member(&text) {
            return Err(fail(
                "cannot be checked: the file's layout was changed after it was signed (re-indented or \
                 saved again by another program). Ask the sender for the file exactly as it was sent",
            ));
        }
        Ok(Opened { body: text, signature: None })
    };
    let Some(at) = text.rfind(MARKER) else { return unsigned(text) };
    let Some(member) = text[at + MARKER.len()..].strip_suffix(END) else { return unsigned(text) };
    let signature: Signature = exchange::read_value(member, "signature").map_err(|e| {
        let message = e.problems().first().map_or_else(|| e.to_string(), |p| p.message.clone());
        fail(&format!("cannot be read: {message}"))
    })?;
    if serde_json::to_string(&signature).ok().as_deref() != Some(member) {
        return Err(fail("was changed after the file was signed: it is not as dealreg wrote it"));
    }
    Ok(Opened { body: format!("{}{END}", &text[..at]), signature: Some(signature) })
}

/// `text` without what transit adds to a file: a byte-order mark, CRLF line
/// endings (a JSON string cannot hold a raw CR), white space at the end.
fn in_transit_undone(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text).trim_end();
    if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text.to_string()
    }
}

/// Whether a JSON object has a top-level `signature` member (other values are skipped unbuilt).
fn has_signature_member(text: &str) -> bool {
    #[derive(Deserialize)]
    struct Envelope {
        signature: Option<serde::de::IgnoredAny>,
    }
    serde_json::from_str::<Envelope>(text).is_ok_and(|e| e.signature.is_some())
}

/// Checks that `opened` is signed by `key` (base64), the key of `whom`
/// ("the vendor", "partner p-1"). With no key to expect, any file is read as
/// unsigned: a signature nobody can check proves nothing.
pub fn expect(opened: &Opened, key: Option<&str>, whom: &str, kind: Kind) -> Result<Verified, Error> {
    let fail = |path: &str, message: String| Error::invalid(kind.what, vec![Problem::new(path, message)]);
    let Some(key) = key else { return Ok(Verified::NoKeyToCheck) };
    let Some(signature) = &opened.signature else {
        return Err(fail(
            "$.signature",
            format!("is missing: this desk's programme names the key of {whom}, so the file must be signed with it"),
        ));
    };
    if signature.algorithm != ALGORITHM {
        return Err(fail(
            "$.signature.algorithm",
            format!("is {:?}; expected {ALGORITHM:?}", signature.algorithm),
        ));
    }
    if signature.key != key {
        return Err(fail(
            "$.signature.key",
            format!("is not the key of {whom} that this desk trusts: the file was not signed by {whom}"),
        ));
    }
    let public = Base64::decode_vec(key)
        .ok()
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
        .and_then(|bytes| VerifyingKey::from_bytes(&bytes).ok())
        .ok_or_else(|| fail("$.signature.key", "is not an Ed25519 public key".into()))?;
    let value = Base64::decode_vec(&signature.value)
        .ok()
        .and_then(|bytes| <[u8; 64]>::try_from(bytes).ok())
        .ok_or_else(|| fail("$.signature.value", "is not a 64-byte signature in base64".into()))?;
    public.verify_strict(opened.body.as_bytes(), &ed25519_dalek::Signature::from_bytes(&value)).map_err(
        |_| {
            fail(
                "$.signature",
                format!("does not match the file: it was changed after {whom} signed it, or forged"),
            )
        },
    )?;
    Ok(Verified::Signed)
}

/// What a reader learnt about a file's origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Verified {
    /// Signed by the key the programme names.
    Signed,
    /// The programme names no key for the sender, so nothing was checked.
    NoKeyToCheck,
}

/// Whether `key` is an Ed25519 public key in base64, for validating programmes.
pub fn is_public_key(key: &str) -> bool {
    Base64::decode_vec(key)
        .ok()
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
        .is_some_and(|bytes| VerifyingKey::from_bytes(&bytes).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KIND: Kind = Kind { what: "test file", format: "dealreg.test", version: 1 };

    #[derive(Serialize)]
    struct Doc {
        format: &'static str,
        note: &'static str,
        amount: f64,
    }

    fn key(byte: u8) -> KeyPair {
        KeyPair::from_seed(&[byte; 32]).unwrap()
    }

    fn signed() -> String {
        key(7).sign(&Doc {
            format: "dealreg.test",
            note: "approved \"as is\"\nfor 90 days",
            amount: 0.1 + 0.2,
        })
    }

    #[test]
    fn a_signed_file_verifies_and_its_body_is_the_document() {
        let text = signed();
        assert!(text.ends_with("\n}"));
        let opened = open(&text, KIND).unwrap();
        assert_eq!(
            expect(&opened, Some(&key(7).public_key()), "the vendor", KIND).unwrap(),
            Verified::Signed
        );
        let body: serde_json::Value = serde_json::from_str(&opened.body).unwrap();
        assert_eq!(body["amount"], 0.1 + 0.2);
        assert!(body.get("signature").is_none());
    }

    #[test]
    fn every_changed_byte_is_refused() {
        let text = signed();
        let vendor = key(7).public_key();
        for at in 0..text.len() {
            let mut bytes = text.clone().into_bytes();
            bytes[at] = if bytes[at] == b' ' { b'\t' } else { b' ' };
            let Ok(changed) = String::from_utf8(bytes) else { continue };
            let verdict = open(&changed, KIND).and_then(|o| expect(&o, Some(&vendor), "the vendor", KIND));
            assert!(verdict.is_err(), "a change at byte {at} was accepted:\n{changed}");
        }
    }

    #[test]
    fn what_transit_does_to_a_file_is_undone_and_nothing_else() {
        let text = signed();
        let vendor = key(7).public_key();
        let verify = |t: &str| open(t, KIND).and_then(|o| expect(&o, Some(&vendor), "the vendor", KIND));
        for travelled in [
            format!("{text}\n"),
            format!("{text}\r\n\r\n  "),
            text.replace('\n', "\r\n"),
            format!("\u{feff}{}\r\n", text.replace('\n', "\r\n")),
        ] {
            assert_eq!(verify(&travelled).unwrap(), Verified::Signed, "{travelled:?}");
        }
        // The signature member is signed by being exactly as written.
        let spaced = text.replace("\"algorithm\":\"ed25519\"", "\"algorithm\": \"ed25519\"");
        assert_ne!(spaced, text);
        let error = verify(&spaced).unwrap_err();
        assert!(error.to_string().contains("$.signature: was changed after the file was signed"), "{error}");
        // A file re-indented by an editor is refused as that, not as an unknown field.
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let reindented = serde_json::to_string(&value).unwrap();
        let error = verify(&reindented).unwrap_err();
        assert!(error.to_string().contains("layout was changed after it was signed"), "{error}");
        // Any other change is still refused.
        let edited = text.replace("for 90 days", "for 99 days");
        assert!(verify(&edited).is_err());
    }

    #[test]
    fn another_key_or_no_signature_is_refused_when_a_key_is_expected() {
        let text = signed();
        let opened = open(&text, KIND).unwrap();
        let other = key(8).public_key();
        let error = expect(&opened, Some(&other), "the vendor", KIND).unwrap_err();
        assert_eq!(error.problems()[0].path, "$.signature.key");

        let plain = "{\n  \"format\": \"dealreg.test\"\n}";
        let opened = open(plain, KIND).unwrap();
        assert!(opened.signature.is_none());
        let error = expect(&opened, Some(&other), "the vendor", KIND).unwrap_err();
        assert!(error.to_string().contains("$.signature: is missing"), "{error}");
        assert_eq!(expect(&opened, None, "the vendor", KIND).unwrap(), Verified::NoKeyToCheck);
    }

    #[test]
    fn a_locked_key_file_opens_with_its_passphrase_only() {
        let pair = key(9);
        let now = "2026-11-27T10:00:00Z".parse().unwrap();
        let random = [3u8; 40];
        let file = pair.to_locked_file("correct horse battery", random, now).unwrap();
        let secret = Base64::encode_string(&[9u8; 32]);
        assert!(!file.contains(&secret), "the secret key is not in the file as it is");
        assert!(is_locked_key_file(&file).unwrap());
        let read = KeyPair::from_file(&file, Some("correct horse battery")).unwrap();
        assert_eq!(read.public_key(), pair.public_key());

        let wrong = KeyPair::from_file(&file, Some("correct horse staple")).unwrap_err();
        assert!(wrong.to_string().contains("the passphrase is not the one"), "{wrong}");
        let none = KeyPair::from_file(&file, None).unwrap_err();
        assert!(none.to_string().contains("locked with a passphrase"), "{none}");
        // Sealed to its public key: another public key does not open it.
        let moved = file.replace(&pair.public_key(), &key(10).public_key());
        assert!(KeyPair::from_file(&moved, Some("correct horse battery")).is_err());
        // A hostile lock cannot make the reader allocate gigabytes.
        let greedy = file.replace("\"memoryKib\": 19456", "\"memoryKib\": 4000000");
        let error = KeyPair::from_file(&greedy, Some("correct horse battery")).unwrap_err();
        assert_eq!(error.problems()[0].path, "$.locked.memoryKib");
        assert!(pair.to_locked_file("short", random, now).is_err());
    }

    #[test]
    fn a_key_file_round_trips_and_its_debug_shows_no_secret() {
        let pair = key(9);
        let now = "2026-11-27T10:00:00Z".parse().unwrap();
        let file = pair.to_file(now);
        assert_eq!(KeyPair::from_file(&file, None).unwrap().public_key(), pair.public_key());
        let secret = Base64::encode_string(&[9u8; 32]);
        assert!(file.contains(&secret));
        assert!(!format!("{pair:?}").contains(&secret));

        let edited = file.replace(&pair.public_key(), &key(10).public_key());
        assert_eq!(KeyPair::from_file(&edited, None).unwrap_err().problems()[0].path, "$.publicKey");
        assert!(KeyPair::from_seed(&[1; 31]).is_err());
        assert!(is_public_key(&pair.public_key()));
        assert!(!is_public_key("not a key"));
    }
}
