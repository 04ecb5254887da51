//! Invitations: how a vendor brings a partner into its programme, and how a
//! partner's desk learns who it is. An invitation (`format:
//! "dealreg.invitation"`) is signed by the vendor and holds the published
//! programme, the partner's own record (its tier, countries, status) and the
//! key the partner's desk will sign its submissions with, made by the vendor
//! for that partner alone: so the vendor's desk refuses any submission in that
//! partner's name that is not signed with it, and no partner can pose as
//! another. A partner's identity is the invited one; it is never chosen.
//!
//! It travels as a file, or as a link to the hosted page with the invitation
//! in the URL's fragment (`#join=…`, compressed, in base64url), which browsers
//! never send to a server. Either works without a hosted `programme.json`.

use base64ct::{Base64, Base64UrlUnpadded, Encoding};
use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problem};
use crate::exchange::{self, Kind};
use crate::programme::{Partner, Programme};
use crate::signing::{self, KeyPair};

pub const KIND: Kind = Kind { what: "invitation", format: "dealreg.invitation", version: 1 };

/// What the page puts before an invitation in a link's fragment.
pub const LINK_MARKER: &str = "join=";

/// The largest invitation a link may unpack to: a programme is tens of KB.
const MAX_UNPACKED: usize = 4 * 1024 * 1024;

const WARNING: &str = "This invitation sets up one partner's desk and holds the key it signs with: \
open it yourself, and do not forward it.";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Invitation {
    pub format: String,
    pub version: u32,
    /// Always the same text: what this file is and how to keep it.
    pub warning: String,
    /// The partner's record as the vendor keeps it; its `signingKey` is the
    /// public half of `signingSecret`.
    pub partner: Partner,
    /// The secret half of the partner's signing key, base64 (32 bytes).
    pub signing_secret: String,
    /// The programme as published: no roster, no budget.
    pub programme: Programme,
    pub issued_at: DateTime<Utc>,
}

/// What a partner is shown before it joins.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Welcome {
    pub partner_id: String,
    pub partner: String,
    pub tier: String,
    pub programme_id: String,
    pub programme: String,
    pub vendor: String,
    /// The key the invitation is signed with: the vendor key the desk will trust.
    pub vendor_key: String,
    pub issued_at: DateTime<Utc>,
}

impl Invitation {
    /// A new invitation of `partner` (whose key `key` becomes) to `programme`, as published.
    pub fn new(programme: &Programme, partner: &Partner, key: &KeyPair, now: DateTime<Utc>) -> Invitation {
        Invitation {
            format: KIND.format.into(),
            version: KIND.version,
            warning: WARNING.into(),
            partner: Partner { signing_key: Some(key.public_key()), ..partner.clone() },
            signing_secret: key.secret_base64(),
            programme: programme.published(),
            issued_at: now,
        }
    }

    /// Reads an invitation file: signed by the key its programme names, and,
    /// once the desk trusts a vendor key (`trusted`), by that one; its
    /// partner's key must be the public half of its secret.
    pub fn read(text: &str, trusted: Option<&str>) -> Result<(Invitation, KeyPair), Error> {
        let opened = signing::open(text, KIND)?;
        let invitation: Invitation = exchange::read(&opened.body, KIND)?;
        let fail = |path: &str, message: &str| Error::invalid(KIND.what, vec![Problem::new(path, message)]);
        let programme = &invitation.programme;
        // The partner's record is checked as its desk will hold it: in the programme.
        let held = programme.for_partner(invitation.partner.clone());
        held.validate("$.programme").map_err(|problems| Error::invalid(KIND.what, problems))?;
        let Some(named) = programme.vendor_key.as_deref() else {
            return Err(fail(
                "$.programme.vendorKey",
                "is missing: an invitation comes from a vendor that signs",
            ));
        };
        if trusted.is_some_and(|t| t != named) {
            return Err(fail(
                "$.programme.vendorKey",
                "is not the vendor key this browser trusts: the invitation is not from the vendor whose files this desk reads",
            ));
        }
        signing::expect(&opened, Some(named), &format!("the vendor {}", programme.vendor), KIND)?;
        let seed = Base64::decode_vec(&invitation.signing_secret)
            .map_err(|_| fail("$.signingSecret", "is not base64 text"))?;
        let key =
            KeyPair::from_seed(&seed).map_err(|_| fail("$.signingSecret", "is not 32 bytes of a key"))?;
        if invitation.partner.signing_key.as_deref() != Some(key.public_key().as_str()) {
            return Err(fail("$.partner.signingKey", "is not the public half of the invitation's key"));
        }
        Ok((invitation, key))
    }

    pub fn welcome(&self) -> Welcome {
        let tier =
            self.programme.tier(&self.partner.tier).map_or(self.partner.tier.clone(), |t| t.name.clone());
        Welcome {
            partner_id: self.partner.id.clone(),
            partner: self.partner.name.clone(),
            tier,
            programme_id: self.programme.id.clone(),
            programme: self.programme.name.clone(),
            vendor: self.programme.vendor.clone(),
            vendor_key: self.programme.vendor_key.clone().unwrap_or_default(),
            issued_at: self.issued_at,
        }
    }
}

/// An invitation file as the text after `#join=` in a link: compressed and
/// in base64url, so a link of a few kilobytes carries the whole programme.
pub fn to_link(text: &str) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 9);
    Base64UrlUnpadded::encode_string(&packed)
}

/// The invitation file a link carries (`#join=…`, or what follows `join=`).
pub fn from_link(link: &str) -> Result<String, Error> {
    let fail = |message: &str| Error::invalid("invitation link", vec![Problem::new("$", message)]);
    let payload = link.rsplit_once(LINK_MARKER).map_or(link, |(_, p)| p).trim();
    let packed = Base64UrlUnpadded::decode_vec(payload)
        .map_err(|_| fail("is not an invitation link: it was cut short or changed on the way"))?;
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_UNPACKED)
        .map_err(|_| fail("is not an invitation link: it was cut short or changed on the way"))?;
    String::from_utf8(bytes).map_err(|_| fail("is not an invitation link"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_carries_the_invitation_whole_and_a_cut_one_is_refused() {
        let text = "{\"format\": \"dealreg.invitation\", \"note\": \"Å\"}".repeat(40);
        let link = format!("https://example.com/dealreg/#{LINK_MARKER}{}", to_link(&text));
        assert!(link.len() < text.len(), "compressed");
        assert_eq!(from_link(&link).unwrap(), text);
        assert_eq!(from_link(&to_link(&text)).unwrap(), text);
        let cut = &link[..link.len() - 10];
        assert!(from_link(cut).unwrap_err().to_string().contains("cut short"));
        assert!(from_link("#join=not base64!").is_err());
    }
}
