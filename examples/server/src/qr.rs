//! QR codes of ticket codes, as SVG and PNG.

use qrcode::{Color, EcLevel, QrCode};

/// Modules of white margin around the code (the standard's quiet zone).
const QUIET_ZONE_MODULES: usize = 4;
/// Pixels per module in the PNG.
const PNG_MODULE_PX: usize = 6;

fn code(data: &str) -> Result<QrCode, String> {
    QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).map_err(|e| format!("QR code: {e}"))
}

/// An SVG drawing of `data`.
pub fn svg(data: &str) -> Result<String, String> {
    Ok(code(data)?
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build())
}

/// A greyscale PNG of `data`.
pub fn png(data: &str) -> Result<Vec<u8>, String> {
    let code = code(data)?;
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 2 * QUIET_ZONE_MODULES) * PNG_MODULE_PX;
    let mut pixels = vec![255u8; side * side];
    for (i, color) in colors.iter().enumerate() {
        if *color != Color::Dark {
            continue;
        }
        let (mx, my) = (i % modules + QUIET_ZONE_MODULES, i / modules + QUIET_ZONE_MODULES);
        for py in my * PNG_MODULE_PX..(my + 1) * PNG_MODULE_PX {
            let row = py * side;
            if let Some(run) = pixels.get_mut(row + mx * PNG_MODULE_PX..row + (mx + 1) * PNG_MODULE_PX) {
                run.fill(0);
            }
        }
    }
    let side_u32 = u32::try_from(side).map_err(|_| "QR code too large".to_string())?;
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, side_u32, side_u32);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(|e| format!("PNG: {e}"))?;
    writer.write_image_data(&pixels).map_err(|e| format!("PNG: {e}"))?;
    writer.finish().map_err(|e| format!("PNG: {e}"))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_and_png_are_drawn() {
        let s = svg("bc1.abc").unwrap_or_default();
        assert!(s.starts_with("<?xml") && s.contains("<svg"), "{s}");
        let p = png("bc1.abc").unwrap_or_default();
        assert_eq!(p.get(..8), Some(&b"\x89PNG\r\n\x1a\n"[..]));
        let decoder = png::Decoder::new(std::io::Cursor::new(p));
        let info = decoder.read_info().map(|r| (r.info().width, r.info().height));
        assert!(matches!(info, Ok((w, h)) if w == h && w >= 21 * 6));
    }
}
