//! TEMPORARY STUB (replaced by the real layout module before commit).
#![allow(missing_docs, dead_code)]
use crate::{LayoutError, LayoutIssue, SeatIdx};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SeatFlags(pub u8);
impl SeatFlags { pub fn is_blocked(self) -> bool { self.0 & 4 != 0 } }
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Seat { pub label: Box<str>, pub x: i32, pub y: i32, pub category: u16, pub flags: SeatFlags, pub row: u32 }
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeatLayout { seats: Vec<Seat>, categories: Vec<String>, #[serde(skip)] by_label: HashMap<String, SeatIdx> }
impl SeatLayout {
    pub fn parse_text(text: &str) -> Result<SeatLayout, LayoutError> {
        let mut seats = Vec::new();
        for (y, line) in text.lines().enumerate() {
            let Some(rest) = line.strip_prefix("row ") else { continue };
            let Some((name, items)) = rest.split_once(':') else { continue };
            let mut x = 0;
            for item in items.split_whitespace() {
                x += 1;
                let item = item.trim_matches(|c| c == '(' || c == ')');
                if item == "_" { continue; }
                let mut flags = 0u8;
                let mut it = item;
                loop { match it.as_bytes().first() { Some(b'w') => { it=&it[1..]; flags|=1 } Some(b'c') => { it=&it[1..]; flags|=2 } Some(b'x') => { it=&it[1..]; flags|=4 } _ => break } }
                let (a, b) = it.split_once('-').unwrap_or((it, it));
                let (a, b): (u32, u32) = (a.parse().unwrap_or(1), b.parse().unwrap_or(1));
                for n in a..=b { seats.push(Seat { label: format!("{}{}", name.trim(), n).into(), x: x + (n - a) as i32, y: y as i32, category: 0, flags: SeatFlags(flags), row: y as u32 }); }
                x += (b - a) as i32;
            }
        }
        if seats.is_empty() { return Err(LayoutError { issues: vec![LayoutIssue { line: 1, column: 1, path: String::new(), message: "empty".into() }] }); }
        let by_label = seats.iter().enumerate().map(|(i, s)| (s.label.to_string(), SeatIdx(i as u32))).collect();
        Ok(SeatLayout { seats, categories: vec!["standard".into()], by_label })
    }
    pub fn seat_count(&self) -> usize { self.seats.len() }
    pub fn seats(&self) -> &[Seat] { &self.seats }
    pub fn seat(&self, i: SeatIdx) -> Option<&Seat> { self.seats.get(i.index()) }
    pub fn find(&self, label: &str) -> Option<SeatIdx> { self.by_label.get(label).copied() }
    pub fn categories(&self) -> &[String] { &self.categories }
    pub fn category_id(&self, c: &str) -> Option<u16> { self.categories.iter().position(|x| x == c).map(|p| p as u16) }
    pub fn zone_id(&self, _z: &str) -> Option<u32> { None }
    pub fn pair_partners(&self, i: SeatIdx) -> &[SeatIdx] { let _ = i; &[] }
}
