//! The QR code of a card's link as a PNG, drawn in process: black modules on white, with the
//! quiet zone the standard asks for, each module a square of pixels large enough to print.

use qrcode::{Color, EcLevel, QrCode};

use crate::TelegramError;

/// Pixels per module: a link of a few dozen characters gives a code of 33 modules or so, an
/// image of about 300 pixels — sharp when printed at a few centimetres.
const MODULE_PIXELS: usize = 8;
/// Modules of white around the code (the standard's quiet zone).
const QUIET_MODULES: usize = 4;

/// A grayscale PNG of the QR code of `text`, at error-correction level M (a printed code
/// survives a scratch or a smudge).
///
/// # Errors
/// [`TelegramError::Request`] when the text does not fit in a QR code or the PNG cannot be
/// written.
pub fn qr_png(text: &str) -> Result<Vec<u8>, TelegramError> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|error| TelegramError::Request(format!("no QR code of the link: {error}")))?;
    let modules = code.width();
    let colors = code.to_colors();
    let side_modules = modules + 2 * QUIET_MODULES;
    let side = side_modules * MODULE_PIXELS;
    let mut pixels = vec![u8::MAX; side * side];
    for (index, color) in colors.iter().enumerate() {
        if *color != Color::Dark {
            continue;
        }
        let (row, column) = (index / modules, index % modules);
        let top = (row + QUIET_MODULES) * MODULE_PIXELS;
        let left = (column + QUIET_MODULES) * MODULE_PIXELS;
        for y in top..top + MODULE_PIXELS {
            let line = y * side;
            if let Some(span) = pixels.get_mut(line + left..line + left + MODULE_PIXELS) {
                span.fill(0);
            }
        }
    }
    let side = u32::try_from(side)
        .map_err(|_| TelegramError::Request("the QR code is too large".to_owned()))?;
    let mut png = Vec::new();
    let written: Result<(), png::EncodingError> = (|| {
        let mut encoder = png::Encoder::new(&mut png, side, side);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&pixels)?;
        writer.finish()
    })();
    written.map_err(|error| TelegramError::Request(format!("the QR code's PNG: {error}")))?;
    Ok(png)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_png_is_a_square_grayscale_image_with_a_white_quiet_zone_and_dark_modules() {
        let png = qr_png("https://t.me/vitrina_bot?start=c12").expect("a QR code");
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().expect("a PNG");
        let mut pixels = vec![0; reader.output_buffer_size().expect("a size")];
        let info = reader.next_frame(&mut pixels).expect("one frame");
        assert_eq!(info.width, info.height);
        assert_eq!(info.color_type, png::ColorType::Grayscale);
        let side = info.width as usize;
        assert_eq!(side % MODULE_PIXELS, 0);
        let quiet = QUIET_MODULES * MODULE_PIXELS;
        assert!(pixels[..quiet * side].iter().all(|p| *p == u8::MAX));
        // The finder pattern's top-left corner is dark.
        assert_eq!(pixels[quiet * side + quiet], 0);
    }
}
