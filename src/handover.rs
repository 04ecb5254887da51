//! A whole desk handed from one copy of dealreg to another in parts: how the
//! page's worker, which reads and imports big files on a copy of the desk,
//! gives the result to the page's main thread without the main thread
//! reading one 40 MB document in one go. The desk travels as its head (the
//! workspace with no registrations and no leads) and batches of its two long
//! lists, each parsed in a task of its own; [`Assembly`] puts them together.

use serde::Serialize;

use crate::error::Error;
use crate::exchange;
use crate::leads::Lead;
use crate::registration::Registration;
use crate::workspace::Workspace;

/// A desk in parts, as JSON text.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Parts {
    /// The workspace with empty `registrations` and `leads`.
    pub head: String,
    /// The registrations, `batch` at a time, each batch a JSON array.
    pub registrations: Vec<String>,
    /// The leads, likewise.
    pub leads: Vec<String>,
}

/// `workspace` in parts of at most `batch` records.
pub fn parts(workspace: &Workspace, batch: usize) -> Parts {
    let batch = batch.max(1);
    let head = Workspace {
        format: workspace.format.clone(),
        version: workspace.version,
        role: workspace.role.clone(),
        programme: workspace.programme.clone(),
        registrations: Vec::new(),
        leads: Vec::new(),
        campaigns: workspace.campaigns.clone(),
        audit: workspace.audit.clone(),
        updated_at: workspace.updated_at,
        leads_as_of: workspace.leads_as_of,
        lead_routings: workspace.lead_routings,
    };
    Parts {
        head: head.to_json(),
        registrations: workspace.registrations.chunks(batch).map(json).collect(),
        leads: workspace.leads.chunks(batch).map(json).collect(),
    }
}

fn json<T: Serialize>(items: &[T]) -> String {
    serde_json::to_string(items).expect("records serialise")
}

/// A desk being put together from its [`Parts`], with its whole document
/// and stored text (each handed in a task of its own, so that making it the
/// desk is short).
#[derive(Debug)]
pub struct Assembly {
    workspace: Workspace,
    document: String,
    stored: String,
}

impl Assembly {
    /// Starts from the head. The parts come from a copy of dealreg that
    /// checked the whole desk; they are read, not checked again.
    pub fn new(head: &str) -> Result<Assembly, Error> {
        let workspace = exchange::read_value(head, "the desk's head")?;
        Ok(Assembly { workspace, document: String::new(), stored: String::new() })
    }

    /// The whole desk as JSON, as the copy wrote it (what the page's `state` reads).
    pub fn set_document(&mut self, document: String) {
        self.document = document;
    }

    /// The desk in its compact stored form, as the copy stored it.
    pub fn set_stored(&mut self, stored: String) {
        self.stored = stored;
    }

    pub fn add_registrations(&mut self, batch: &str) -> Result<(), Error> {
        let items: Vec<Registration> = exchange::read_value(batch, "registrations")?;
        self.workspace.registrations.extend(items);
        Ok(())
    }

    pub fn add_leads(&mut self, batch: &str) -> Result<(), Error> {
        let items: Vec<Lead> = exchange::read_value(batch, "leads")?;
        self.workspace.leads.extend(items);
        Ok(())
    }

    /// The workspace, its document and its stored text.
    pub fn finish(self) -> (Workspace, String, String) {
        (self.workspace, self.document, self.stored)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_desk_in_parts_is_put_together_as_it_was() {
        let programme = include_str!("../www/demo/programme.json");
        let dataset = include_str!("../www/demo/dataset.json");
        let now = "2026-11-02T10:00:00Z".parse().unwrap();
        let mut workspace = Workspace { role: Some(crate::workspace::Role::Vendor), ..Workspace::default() };
        let programme = crate::programme::Programme::from_json(programme).unwrap();
        let data = exchange::read(dataset, crate::workspace::DATASET_KIND).unwrap();
        workspace.load_dataset(programme, data, now).unwrap();
        assert!(workspace.registrations.len() > 100 && workspace.leads.len() > 200);

        let parts = parts(&workspace, 50);
        assert_eq!(parts.registrations.len(), workspace.registrations.len().div_ceil(50));
        assert_eq!(parts.leads.len(), workspace.leads.len().div_ceil(50));
        let mut assembly = Assembly::new(&parts.head).unwrap();
        for batch in &parts.registrations {
            assembly.add_registrations(batch).unwrap();
        }
        for batch in &parts.leads {
            assembly.add_leads(batch).unwrap();
        }
        let (assembled, _, _) = assembly.finish();
        assert_eq!(assembled, workspace);
        assert_eq!(assembled.to_json(), workspace.to_json());
    }
}
