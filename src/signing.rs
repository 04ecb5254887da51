//! Signed files. The vendor's word (the programme file, decision files) and,
//! when the programme lists a partner's key, that partner's submissions carry an
//! Ed25519 signature, so a file edited or forged on the way is refused.
//!
//! A signed file is the document as this crate writes it (pretty JSON) with one
//! last member, `"signature"`. What is signed is the exact text without that
//! member; a reader verifies those bytes and then reads the document from them
//! alone, so nothing outside the signed bytes is believed, and one changed
//! byte anywhere is refused. Keys and signatures are standard base64.
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

pub const KEY_KIND: Kind = Kind { what: "key file", format: "dealreg.key", version: 1 };

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

/// The key file: the only place a desk's secret key leaves the desk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KeyFile {
    pub format: String,
    pub version: u32,
    /// Always the same text: what this file is and how to keep it.
    pub warning: String,
    pub public_key: String,
    pub secret_key: String,
    pub created_at: DateTime<Utc>,
}

const WARNING: &str = "This file holds a secret key: anyone who has it can sign programmes and \
decisions in your name. Keep it offline and never send it to a partner.";

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

    /// The key file (see [`KeyFile`]).
    pub fn to_file(&self, now: DateTime<Utc>) -> String {
        let file = KeyFile {
            format: KEY_KIND.format.into(),
            version: KEY_KIND.version,
            warning: WARNING.into(),
            public_key: self.public_key(),
            secret_key: Base64::encode_string(self.0.as_bytes()),
            created_at: now,
        };
        exchange::pretty(&file)
    }

    /// Reads a key file; the secret must give the public key the file names.
    pub fn from_file(text: &str) -> Result<KeyPair, Error> {
        let file: KeyFile = exchange::read(text, KEY_KIND)?;
        let invalid =
            |path: &str, message: &str| Error::invalid(KEY_KIND.what, vec![Problem::new(path, message)]);
        let seed =
            Base64::decode_vec(&file.secret_key).map_err(|_| invalid("$.secretKey", "is not base64 text"))?;
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
    let unsigned = || Opened { body: text.to_string(), signature: None };
    let Some(at) = text.rfind(MARKER) else { return Ok(unsigned()) };
    let Some(member) = text[at + MARKER.len()..].strip_suffix(END) else { return Ok(unsigned()) };
    let signature: Signature = exchange::read_value(member, "signature").map_err(|e| {
        let message = e.problems().first().map_or_else(|| e.to_string(), |p| p.message.clone());
        Error::invalid(kind.what, vec![Problem::new("$.signature", format!("cannot be read: {message}"))])
    })?;
    Ok(Opened { body: format!("{}{END}", &text[..at]), signature: Some(signature) })
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
    fn a_key_file_round_trips_and_its_debug_shows_no_secret() {
        let pair = key(9);
        let now = "2026-11-27T10:00:00Z".parse().unwrap();
        let file = pair.to_file(now);
        assert_eq!(KeyPair::from_file(&file).unwrap().public_key(), pair.public_key());
        let secret = Base64::encode_string(&[9u8; 32]);
        assert!(file.contains(&secret));
        assert!(!format!("{pair:?}").contains(&secret));

        let edited = file.replace(&pair.public_key(), &key(10).public_key());
        assert_eq!(KeyPair::from_file(&edited).unwrap_err().problems()[0].path, "$.publicKey");
        assert!(KeyPair::from_seed(&[1; 31]).is_err());
        assert!(is_public_key(&pair.public_key()));
        assert!(!is_public_key("not a key"));
    }
}
