//! Validation of pricing rules and their compiled form, built once per policy so that a quote
//! only indexes and compares: category sets become bit masks, rule labels are shared strings,
//! tiers are sorted, promo codes are lower-cased and sorted for binary search.

use crate::pricing_adjustment::invalid;
use crate::{
    Adjustment, CATEGORIES_MAX, DAY_MINUTES, DEMAND_TIERS_MAX, EARLY_BIRD_LEAD_HOURS_MAX,
    EARLY_BIRD_TIERS_MAX, OCCUPANCY_BP_MAX, PRICE_MINOR_MAX, PRICING_NAME_BYTES_MAX, PROMO_CODE_BYTES_MAX,
    PROMOS_MAX, PricingError, PricingRules, Promo, PromoDiscount, ROUNDING_INCREMENT_MINOR_MAX,
    TAX_RATE_BP_MAX, TICKET_TYPES_MAX, TIME_WINDOWS_MAX, TicketTypeRule,
};
use std::sync::Arc;

/// Milliseconds in an hour, for early-bird leads.
const HOUR_MS: i64 = 3_600_000;
/// The ticket type a policy without a list offers, and the preferred default of a list.
pub(crate) const DEFAULT_TICKET_TYPE: &str = "adult";

/// One rule's effect, ready to apply: its quote label, adjustment and category mask.
#[derive(Debug, Clone)]
pub(crate) struct Step {
    pub(crate) label: Arc<str>,
    pub(crate) adjustment: Adjustment,
    /// Bit `i` set: applies to the `i`-th category in name order.
    pub(crate) categories: u64,
}

#[derive(Debug, Clone)]
pub(crate) struct CompiledTicket {
    pub(crate) name: Arc<str>,
    pub(crate) step: Step,
}

#[derive(Debug, Clone)]
pub(crate) struct CompiledWindow {
    /// Bit `d` set: covers the day with Monday-zero offset `d`.
    pub(crate) days: u8,
    pub(crate) start_minute: u16,
    pub(crate) end_minute: u16,
    pub(crate) step: Step,
}

/// An early-bird (threshold in ms of lead) or demand (threshold in bp) tier.
#[derive(Debug, Clone)]
pub(crate) struct CompiledTier {
    pub(crate) threshold: i64,
    pub(crate) step: Step,
}

#[derive(Debug, Clone)]
pub(crate) struct CompiledPromo {
    /// The code in ASCII lower case: the search key.
    pub(crate) key: Box<str>,
    /// Index in `PricingRules::promos`.
    pub(crate) rule: usize,
    pub(crate) step: Step,
}

/// A validated policy, ready to quote.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    /// `(name, base price)` sorted by name; a category's index is its bit in masks.
    pub(crate) categories: Vec<(Box<str>, i64)>,
    /// Never empty: a policy without ticket types gets an implicit `adult`.
    pub(crate) ticket_types: Vec<CompiledTicket>,
    pub(crate) default_ticket: usize,
    pub(crate) windows: Vec<CompiledWindow>,
    /// Longest lead first; ties keep the listed order.
    pub(crate) early_bird: Vec<CompiledTier>,
    /// Highest occupancy first; ties keep the listed order.
    pub(crate) demand: Vec<CompiledTier>,
    /// Sorted by `key`.
    pub(crate) promos: Vec<CompiledPromo>,
    pub(crate) clamp_label: Arc<str>,
    pub(crate) rounding_label: Arc<str>,
}

impl Compiled {
    /// The index and base price of a category.
    pub(crate) fn category(&self, name: &str) -> Option<(usize, i64)> {
        let i = self.categories.binary_search_by(|(n, _)| n.as_ref().cmp(name)).ok()?;
        self.categories.get(i).map(|(_, price)| (i, *price))
    }

    /// The promo whose code equals `code` ignoring ASCII case, without allocating.
    pub(crate) fn promo(&self, code: &str) -> Option<&CompiledPromo> {
        let mut buf = [0u8; PROMO_CODE_BYTES_MAX];
        let key = buf.get_mut(..code.len())?;
        key.copy_from_slice(code.as_bytes());
        key.make_ascii_lowercase();
        let key: &[u8] = key;
        let i = self.promos.binary_search_by(|p| p.key.as_bytes().cmp(key)).ok()?;
        self.promos.get(i)
    }
}

/// Validates `rules` and compiles them; the error names the first offending field.
pub(crate) fn compile(rules: &PricingRules) -> Result<Compiled, PricingError> {
    let categories = compile_categories(rules)?;
    check_amounts(rules)?;
    let (ticket_types, default_ticket) = compile_ticket_types(&rules.ticket_types)?;
    Ok(Compiled {
        windows: compile_windows(rules, &categories)?,
        early_bird: compile_early_bird(rules, &categories)?,
        demand: compile_demand(rules, &categories)?,
        promos: compile_promos(&rules.promos, &categories)?,
        categories,
        ticket_types,
        default_ticket,
        clamp_label: Arc::from("clamp at zero"),
        rounding_label: Arc::from("rounding"),
    })
}

fn compile_categories(rules: &PricingRules) -> Result<Vec<(Box<str>, i64)>, PricingError> {
    let prices = &rules.category_prices;
    if prices.is_empty() {
        return Err(invalid("category_prices", "must price at least one category"));
    }
    check_count("category_prices", prices.len(), CATEGORIES_MAX)?;
    let mut out = Vec::with_capacity(prices.len());
    // BTreeMap iteration is in name order, which `Compiled::category` binary-searches.
    for (name, &minor) in prices {
        let field = format!("category_prices.{name}");
        check_name(&field, name)?;
        if !(1..=PRICE_MINOR_MAX).contains(&minor) {
            return Err(invalid(field, format!("must be 1..={PRICE_MINOR_MAX} minor units, got {minor}")));
        }
        out.push((Box::from(name.as_str()), minor));
    }
    Ok(out)
}

fn check_amounts(rules: &PricingRules) -> Result<(), PricingError> {
    let fee = rules.fee_per_ticket_minor;
    if !(0..=PRICE_MINOR_MAX).contains(&fee) {
        return Err(invalid(
            "fee_per_ticket_minor",
            format!("must be 0..={PRICE_MINOR_MAX} minor units, got {fee}"),
        ));
    }
    let rate = rules.tax.rate_bp;
    if rate > TAX_RATE_BP_MAX {
        return Err(invalid("tax.rate_bp", format!("must be at most {TAX_RATE_BP_MAX} (100 %), got {rate}")));
    }
    let inc = rules.rounding.increment_minor;
    if !(1..=ROUNDING_INCREMENT_MINOR_MAX).contains(&inc) {
        let reason = format!("must be 1..={ROUNDING_INCREMENT_MINOR_MAX} minor units, got {inc}");
        return Err(invalid("rounding.increment_minor", reason));
    }
    Ok(())
}

fn compile_ticket_types(list: &[TicketTypeRule]) -> Result<(Vec<CompiledTicket>, usize), PricingError> {
    check_count("ticket_types", list.len(), TICKET_TYPES_MAX)?;
    if list.is_empty() {
        let step = step(format!("ticket type {DEFAULT_TICKET_TYPE}"), Adjustment::default(), u64::MAX);
        return Ok((vec![CompiledTicket { name: Arc::from(DEFAULT_TICKET_TYPE), step }], 0));
    }
    let mut out: Vec<CompiledTicket> = Vec::with_capacity(list.len());
    for (i, t) in list.iter().enumerate() {
        let field = format!("ticket_types[{i}]");
        check_name(&format!("{field}.name"), &t.name)?;
        if let Some(j) = out.iter().position(|c| *c.name == *t.name) {
            return Err(invalid(format!("{field}.name"), format!("duplicates ticket_types[{j}].name")));
        }
        t.adjustment.check(&format!("{field}.adjustment"))?;
        let step = step(format!("ticket type {}", t.name), t.adjustment, u64::MAX);
        out.push(CompiledTicket { name: Arc::from(t.name.as_str()), step });
    }
    let default = out.iter().position(|t| &*t.name == DEFAULT_TICKET_TYPE).unwrap_or(0);
    Ok((out, default))
}

fn compile_windows(
    rules: &PricingRules,
    cats: &[(Box<str>, i64)],
) -> Result<Vec<CompiledWindow>, PricingError> {
    check_count("time_windows", rules.time_windows.len(), TIME_WINDOWS_MAX)?;
    let mut out = Vec::with_capacity(rules.time_windows.len());
    for (i, w) in rules.time_windows.iter().enumerate() {
        let field = format!("time_windows[{i}]");
        check_name(&format!("{field}.name"), &w.name)?;
        if let Some(j) = rules.time_windows.iter().take(i).position(|o| o.name == w.name) {
            return Err(invalid(format!("{field}.name"), format!("duplicates time_windows[{j}].name")));
        }
        if w.days.is_empty() {
            return Err(invalid(
                format!("{field}.days"),
                "must name at least one day (omit it for every day)",
            ));
        }
        let mut days = 0u8;
        for (d, day) in w.days.iter().enumerate() {
            let bit = 1u8 << day.monday_zero_offset();
            if days & bit != 0 {
                return Err(invalid(format!("{field}.days[{d}]"), format!("{day:?} is listed twice")));
            }
            days |= bit;
        }
        if w.start_minute >= DAY_MINUTES {
            let reason = format!("must be below {DAY_MINUTES}, got {}", w.start_minute);
            return Err(invalid(format!("{field}.start_minute"), reason));
        }
        if w.end_minute <= w.start_minute || w.end_minute > DAY_MINUTES {
            let reason = format!("must be after start_minute ({}) and at most {DAY_MINUTES}", w.start_minute);
            return Err(invalid(format!("{field}.end_minute"), reason));
        }
        w.adjustment.check(&format!("{field}.adjustment"))?;
        let mask = category_mask(cats, &format!("{field}.categories"), &w.categories)?;
        let step = step(format!("time window {}", w.name), w.adjustment, mask);
        out.push(CompiledWindow { days, start_minute: w.start_minute, end_minute: w.end_minute, step });
    }
    Ok(out)
}

fn compile_early_bird(
    rules: &PricingRules,
    cats: &[(Box<str>, i64)],
) -> Result<Vec<CompiledTier>, PricingError> {
    check_count("early_bird", rules.early_bird.len(), EARLY_BIRD_TIERS_MAX)?;
    let mut out = Vec::with_capacity(rules.early_bird.len());
    for (i, t) in rules.early_bird.iter().enumerate() {
        let field = format!("early_bird[{i}]");
        let hours = t.min_lead_hours;
        if !(1..=EARLY_BIRD_LEAD_HOURS_MAX).contains(&hours) {
            let reason = format!("must be 1..={EARLY_BIRD_LEAD_HOURS_MAX} hours, got {hours}");
            return Err(invalid(format!("{field}.min_lead_hours"), reason));
        }
        t.adjustment.check(&format!("{field}.adjustment"))?;
        let mask = category_mask(cats, &format!("{field}.categories"), &t.categories)?;
        let step = step(early_bird_label(hours), t.adjustment, mask);
        out.push(CompiledTier { threshold: i64::from(hours) * HOUR_MS, step });
    }
    // Stable: among equal leads the first listed wins.
    out.sort_by_key(|t| std::cmp::Reverse(t.threshold));
    Ok(out)
}

fn compile_demand(rules: &PricingRules, cats: &[(Box<str>, i64)]) -> Result<Vec<CompiledTier>, PricingError> {
    check_count("demand_tiers", rules.demand_tiers.len(), DEMAND_TIERS_MAX)?;
    let mut out = Vec::with_capacity(rules.demand_tiers.len());
    for (i, t) in rules.demand_tiers.iter().enumerate() {
        let field = format!("demand_tiers[{i}]");
        let bp = t.min_occupancy_bp;
        if bp > OCCUPANCY_BP_MAX {
            let reason = format!("must be at most {OCCUPANCY_BP_MAX} (full), got {bp}");
            return Err(invalid(format!("{field}.min_occupancy_bp"), reason));
        }
        t.adjustment.check(&format!("{field}.adjustment"))?;
        let mask = category_mask(cats, &format!("{field}.categories"), &t.categories)?;
        let step = step(format!("demand {}", percent(bp)), t.adjustment, mask);
        out.push(CompiledTier { threshold: i64::from(bp), step });
    }
    out.sort_by_key(|t| std::cmp::Reverse(t.threshold));
    Ok(out)
}

fn compile_promos(list: &[Promo], cats: &[(Box<str>, i64)]) -> Result<Vec<CompiledPromo>, PricingError> {
    check_count("promos", list.len(), PROMOS_MAX)?;
    let mut out = Vec::with_capacity(list.len());
    for (i, p) in list.iter().enumerate() {
        let field = format!("promos[{i}]");
        check_promo(&field, p)?;
        let mask = category_mask(cats, &format!("{field}.categories"), &p.categories)?;
        let step = step(format!("promo {}", p.code), p.discount.adjustment(), mask);
        out.push(CompiledPromo { key: p.code.to_ascii_lowercase().into(), rule: i, step });
    }
    out.sort_by(|a, b| a.key.cmp(&b.key));
    for pair in out.windows(2) {
        if let [a, b] = pair
            && a.key == b.key
        {
            let (first, dup) = (a.rule.min(b.rule), a.rule.max(b.rule));
            return Err(invalid(
                format!("promos[{dup}].code"),
                format!("duplicates promos[{first}].code (case ignored)"),
            ));
        }
    }
    Ok(out)
}

fn check_promo(field: &str, p: &Promo) -> Result<(), PricingError> {
    let code_ok = p.code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if p.code.is_empty() || p.code.len() > PROMO_CODE_BYTES_MAX || !code_ok {
        let reason = format!("must be 1 to {PROMO_CODE_BYTES_MAX} ASCII letters, digits, '-' or '_'");
        return Err(invalid(format!("{field}.code"), reason));
    }
    match p.discount {
        PromoDiscount::Percent { off_bp } if !(1..=10_000).contains(&off_bp) => {
            return Err(invalid(
                format!("{field}.discount.off_bp"),
                format!("must be 1..=10000, got {off_bp}"),
            ));
        }
        PromoDiscount::Fixed { off_minor } if !(1..=PRICE_MINOR_MAX).contains(&off_minor) => {
            let reason = format!("must be 1..={PRICE_MINOR_MAX} minor units, got {off_minor}");
            return Err(invalid(format!("{field}.discount.off_minor"), reason));
        }
        _ => {}
    }
    if let (Some(from), Some(until)) = (p.valid_from, p.valid_until)
        && until <= from
    {
        return Err(invalid(format!("{field}.valid_until"), "must be after valid_from"));
    }
    if p.seats_min == Some(0) {
        return Err(invalid(format!("{field}.seats_min"), "must be at least 1"));
    }
    if let Some(max) = p.seats_max
        && max < p.seats_min.unwrap_or(1)
    {
        return Err(invalid(format!("{field}.seats_max"), "must be at least seats_min (and at least 1)"));
    }
    if p.redemptions_max == Some(0) {
        return Err(invalid(format!("{field}.redemptions_max"), "must be at least 1 (omit it for no limit)"));
    }
    Ok(())
}

fn step(label: String, adjustment: Adjustment, categories: u64) -> Step {
    Step { label: Arc::from(label), adjustment, categories }
}

/// The mask of `names` (empty: every category); refuses unknown and repeated names.
fn category_mask(cats: &[(Box<str>, i64)], field: &str, names: &[String]) -> Result<u64, PricingError> {
    if names.is_empty() {
        return Ok(u64::MAX);
    }
    let mut mask = 0u64;
    for (i, name) in names.iter().enumerate() {
        let Ok(idx) = cats.binary_search_by(|(n, _)| n.as_ref().cmp(name)) else {
            return Err(invalid(format!("{field}[{i}]"), format!("unknown category {name:?}")));
        };
        let bit = bit(idx);
        if mask & bit != 0 {
            return Err(invalid(format!("{field}[{i}]"), format!("category {name:?} is listed twice")));
        }
        mask |= bit;
    }
    Ok(mask)
}

/// Bit `idx` of a 64-bit mask (category or window; their limits keep `idx` below 64).
pub(crate) fn bit(idx: usize) -> u64 {
    u32::try_from(idx).ok().and_then(|i| 1u64.checked_shl(i)).unwrap_or(0)
}

fn check_name(field: &str, name: &str) -> Result<(), PricingError> {
    if name.is_empty() || name.len() > PRICING_NAME_BYTES_MAX {
        return Err(invalid(field, format!("must be 1 to {PRICING_NAME_BYTES_MAX} bytes")));
    }
    if name.trim() != name || name.chars().any(char::is_control) {
        return Err(invalid(field, "must not start or end with spaces or hold control characters"));
    }
    Ok(())
}

fn check_count(field: &str, len: usize, max: usize) -> Result<(), PricingError> {
    if len > max { Err(invalid(field, format!("at most {max} entries, got {len}"))) } else { Ok(()) }
}

/// `early bird 7 days` or `early bird 36 hours`.
fn early_bird_label(hours: u32) -> String {
    match (hours % 24, hours / 24) {
        (0, 1) => "early bird 1 day".to_string(),
        (0, days) => format!("early bird {days} days"),
        _ if hours == 1 => "early bird 1 hour".to_string(),
        _ => format!("early bird {hours} hours"),
    }
}

/// Basis points as a percentage with no needless decimals: 8000 is `80%`, 8050 `80.5%`.
fn percent(bp: u32) -> String {
    let (whole, frac) = (bp / 100, bp % 100);
    match frac {
        0 => format!("{whole}%"),
        f if f % 10 == 0 => format!("{whole}.{}%", f / 10),
        f => format!("{whole}.{f:02}%"),
    }
}
