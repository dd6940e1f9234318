//! Computing a quote from a compiled policy (the order of application is in `pricing_policy`).

use crate::pricing_compile::{Compiled, CompiledPromo, CompiledTicket, Step, bit};
use crate::{
    MoneyError, PRICING_NAME_BYTES_MAX, PROMO_CODE_BYTES_MAX, PricingError, PricingPolicy, Quote,
    QuoteAdjustment, QuoteLine, QuoteRequest, QuoteSeat,
};
use std::sync::Arc;

impl PricingPolicy {
    /// Prices `req.seats`: one line per seat, in order, with every adjustment named.
    ///
    /// Refused when the policy is invalid, a seat's category or ticket type is unknown, or the
    /// promo code does not apply (`PromoRejected` with the reason). The result always satisfies
    /// [`Quote::is_consistent`]; the same request always gives the same quote.
    pub fn quote(&self, req: &QuoteRequest<'_>) -> Result<Quote, PricingError> {
        let c = self.compiled()?;
        let ctx = Context::new(self, c, req)?;
        let mut lines = Vec::with_capacity(req.seats.len());
        let mut promo_used = false;
        // The totals are derived from the lines; summing them here proves they fit in an amount.
        let mut sums = [0i64; 4];
        for seat in req.seats {
            let (line, price, used) = ctx.line(seat)?;
            promo_used |= used;
            for (sum, part) in sums.iter_mut().zip([price, line.fee_minor, line.tax_minor, line.total_minor])
            {
                *sum = sum.checked_add(part).ok_or(MoneyError::Overflow)?;
            }
            lines.push(line);
        }
        let currency = self.rules.currency;
        let promo_code = match (req.promo_code, ctx.promo) {
            (Some(given), Some(_)) if !promo_used => {
                return Err(rejected(given, "applies to none of the selected seats"));
            }
            (_, Some(p)) => self.rules.promos.get(p.rule).map(|p| Arc::from(p.code.as_str())),
            (_, None) => None,
        };
        let (tax_rate_bp, tax_mode) = (self.rules.tax.rate_bp, self.rules.tax.mode);
        let lines = lines.into_boxed_slice();
        Ok(Quote { currency, lines, tax_rate_bp, tax_mode, promo_code })
    }
}

/// What a quote decides once, before its lines: which rules are in reach.
struct Context<'p> {
    policy: &'p PricingPolicy,
    c: &'p Compiled,
    /// Bit `i`: window `i` matches the show's local start.
    windows: u64,
    /// Early-bird tiers from this index on are reached (they are sorted longest lead first).
    early_from: usize,
    /// Demand tiers from this index on are reached.
    demand_from: usize,
    promo: Option<&'p CompiledPromo>,
}

impl<'p> Context<'p> {
    fn new(policy: &'p PricingPolicy, c: &'p Compiled, req: &QuoteRequest<'_>) -> Result<Self, PricingError> {
        let lead_ms = req.show_starts_at.millis_since(req.now);
        let occupancy = i64::from(req.occupancy_bp);
        Ok(Context {
            policy,
            c,
            windows: matching_windows(c, req)?,
            early_from: c
                .early_bird
                .iter()
                .position(|t| lead_ms >= t.threshold)
                .unwrap_or(c.early_bird.len()),
            demand_from: c.demand.iter().position(|t| occupancy >= t.threshold).unwrap_or(c.demand.len()),
            promo: match req.promo_code {
                Some(code) => Some(promo_for(policy, c, code, req)?),
                None => None,
            },
        })
    }

    /// The line of one seat, its price before fee and tax, and whether the promo applied to it.
    fn line(&self, seat: &QuoteSeat<'_>) -> Result<(QuoteLine, i64, bool), PricingError> {
        let rules = &self.policy.rules;
        let (idx, base) = self
            .c
            .category(seat.category)
            .ok_or_else(|| PricingError::UnknownCategory { category: seat.category.to_string() })?;
        let ticket = self.ticket(seat.ticket_type)?;
        let steps = self.steps(ticket, bit(idx));
        // Every matched rule, the clamp and the rounding, gathered on the stack so that the line
        // gets an exact-size allocation, or none when nothing changed the price.
        let mut changes: [Option<(&Arc<str>, i64)>; 7] = Default::default();
        let mut n = 0;
        let mut add = |rule: &'p Arc<str>, amount: i64| {
            if amount != 0
                && let Some(slot) = changes.get_mut(n)
            {
                *slot = Some((rule, amount));
                n += 1;
            }
        };
        let (mut price, mut clamped) = (base, 0i64);
        for step in steps.iter().flatten() {
            let amount = step.adjustment.delta(price).ok_or(MoneyError::Overflow)?;
            price = price.checked_add(amount).ok_or(MoneyError::Overflow)?;
            add(&step.label, amount);
            // Clamp after every step, so that a later percentage never works on a negative price.
            if price < 0 {
                clamped = clamped.checked_sub(price).ok_or(MoneyError::Overflow)?;
                price = 0;
            }
        }
        add(&self.c.clamp_label, clamped);
        let rounded = rules.rounding.apply(price).ok_or(MoneyError::Overflow)?;
        add(&self.c.rounding_label, rounded - price);
        let mut adjustments = Vec::with_capacity(n);
        adjustments.extend(
            changes
                .iter()
                .flatten()
                .map(|&(rule, amount_minor)| QuoteAdjustment { rule: Arc::clone(rule), amount_minor }),
        );
        let adjustments = adjustments.into_boxed_slice();
        let fee = rules.fee_per_ticket_minor;
        let gross = rounded.checked_add(fee).ok_or(MoneyError::Overflow)?;
        let tax = rules.tax.on(gross).ok_or(MoneyError::Overflow)?;
        let total =
            if rules.tax.is_added() { gross.checked_add(tax).ok_or(MoneyError::Overflow)? } else { gross };
        let promo_used = matches!((self.promo, steps.last()), (Some(_), Some(Some(_))));
        let line = QuoteLine {
            seat: Arc::clone(seat.label),
            ticket_type: Arc::clone(&ticket.name),
            base_minor: base,
            adjustments,
            fee_minor: fee,
            tax_minor: tax,
            total_minor: total,
        };
        Ok((line, rounded, promo_used))
    }

    /// The rules that apply to a seat of the category with mask bit `seat_bit`, in order of
    /// application: ticket type, time window, early bird, demand, promo (last, always present as
    /// a slot so that callers can tell whether the promo applied).
    fn steps(&self, ticket: &'p CompiledTicket, seat_bit: u64) -> [Option<&'p Step>; 5] {
        let applies = |s: &Step| s.categories & seat_bit != 0;
        let c = self.c;
        let window =
            c.windows.iter().enumerate().find(|(i, w)| self.windows & bit(*i) != 0 && applies(&w.step));
        let early = c.early_bird.get(self.early_from..).and_then(|ts| ts.iter().find(|t| applies(&t.step)));
        let demand = c.demand.get(self.demand_from..).and_then(|ts| ts.iter().find(|t| applies(&t.step)));
        [
            Some(&ticket.step),
            window.map(|(_, w)| &w.step),
            early.map(|t| &t.step),
            demand.map(|t| &t.step),
            self.promo.map(|p| &p.step).filter(|s| applies(s)),
        ]
    }

    fn ticket(&self, name: Option<&str>) -> Result<&'p CompiledTicket, PricingError> {
        let found = match name {
            None => self.c.ticket_types.get(self.c.default_ticket),
            Some(n) => self.c.ticket_types.iter().find(|t| &*t.name == n),
        };
        found.ok_or_else(|| PricingError::UnknownTicketType {
            // The name is caller input: keep it short in errors.
            ticket_type: name.map_or_else(String::new, |n| n.chars().take(PRICING_NAME_BYTES_MAX).collect()),
        })
    }
}

/// The windows matching the show's local start, as a mask; converts to local time only if the
/// policy has windows.
fn matching_windows(c: &Compiled, req: &QuoteRequest<'_>) -> Result<u64, PricingError> {
    if c.windows.is_empty() {
        return Ok(0);
    }
    let Some(start) = req.show_starts_at.to_jiff() else {
        let reason = "is outside the calendar range of time windows";
        return Err(PricingError::InvalidPolicy { field: "show_starts_at".into(), reason: reason.into() });
    };
    let local = req.time_zone.to_datetime(start);
    let day_bit = 1u8 << local.weekday().to_monday_zero_offset().clamp(0, 6);
    let minute = u16::try_from(i32::from(local.hour()) * 60 + i32::from(local.minute())).unwrap_or(0);
    let mut mask = 0u64;
    for (i, w) in c.windows.iter().enumerate() {
        if w.days & day_bit != 0 && (w.start_minute..w.end_minute).contains(&minute) {
            mask |= bit(i);
        }
    }
    Ok(mask)
}

/// The promo for `code`, or why it is refused (unknown, not yet valid, expired, seat count).
fn promo_for<'p>(
    policy: &'p PricingPolicy,
    c: &'p Compiled,
    code: &str,
    req: &QuoteRequest<'_>,
) -> Result<&'p CompiledPromo, PricingError> {
    let found = c.promo(code).and_then(|p| policy.rules.promos.get(p.rule).map(|rule| (p, rule)));
    let Some((compiled, rule)) = found else { return Err(rejected(code, "unknown code")) };
    if let Some(from) = rule.valid_from.filter(|from| req.now < *from) {
        return Err(rejected(code, &format!("not valid before {from}")));
    }
    if let Some(until) = rule.valid_until.filter(|until| req.now >= *until) {
        return Err(rejected(code, &format!("expired at {until}")));
    }
    let seats = req.seats.len();
    let min = rule.seats_min.unwrap_or(1);
    if seats < min as usize {
        return Err(rejected(code, &format!("needs at least {}, got {seats}", seat_count(min))));
    }
    if let Some(max) = rule.seats_max.filter(|max| seats > *max as usize) {
        return Err(rejected(code, &format!("allows at most {}, got {seats}", seat_count(max))));
    }
    Ok(compiled)
}

/// `1 seat`, `2 seats`.
fn seat_count(n: u32) -> String {
    if n == 1 { "1 seat".to_string() } else { format!("{n} seats") }
}

fn rejected(code: &str, reason: &str) -> PricingError {
    // The code is caller input: keep it short in errors.
    let code = code.chars().take(PROMO_CODE_BYTES_MAX).collect();
    PricingError::PromoRejected { code, reason: reason.to_string() }
}
