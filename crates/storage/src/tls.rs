//! TLS to PostgreSQL through rustls: the `sslmode` of the URL (`disable`, `prefer`,
//! `require`, `verify-ca`, `verify-full`, as libpq reads them) and the CA that signed the
//! server's certificate (`sslrootcert` in the URL, or [`ConnectOptions::ca_file`]).
//!
//! tokio-postgres itself knows only `disable`, `prefer` and `require`, and rejects
//! `sslrootcert`: the URL handed to it is rewritten, and the checking of the certificate is
//! this module's.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use diesel::ConnectionResult;
use diesel::result::ConnectionError;
use diesel_async::AsyncPgConnection;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};

use crate::error::StorageError;
use crate::pool::ConnectOptions;

/// libpq's `sslmode`, the values it shares with Vitrina.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SslMode {
    /// No TLS.
    Disable,
    /// TLS when the server offers it, the certificate unchecked unless a CA is given (libpq's
    /// default).
    Prefer,
    /// TLS or no connection; the certificate unchecked unless a CA is given, then as
    /// `verify-ca`.
    Require,
    /// TLS, the certificate signed by the CA; any host name.
    VerifyCa,
    /// TLS, the certificate signed by the CA and naming the host connected to.
    VerifyFull,
}

/// A PostgreSQL URL made ready for tokio-postgres, and how to secure its connections.
#[derive(Clone)]
pub(crate) struct PostgresTarget {
    /// The URL without what only this module reads.
    pub(crate) url: String,
    /// `None` for `disable`.
    pub(crate) tls: Option<Arc<ClientConfig>>,
}

impl PostgresTarget {
    /// Reads `sslmode` and `sslrootcert` from `url` and builds the TLS setting they ask for.
    pub(crate) fn new(url: &str, options: &ConnectOptions) -> Result<PostgresTarget, StorageError> {
        let (base, query) = match url.split_once('?') {
            Some((base, query)) => (base, query),
            None => (url, ""),
        };
        let mut mode = SslMode::Prefer;
        let mut root_cert: Option<PathBuf> = None;
        let mut kept = Vec::new();
        for pair in query.split('&').filter(|pair| !pair.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match key {
                "sslmode" => {
                    mode = match value {
                        "disable" => SslMode::Disable,
                        "prefer" | "allow" => SslMode::Prefer,
                        "require" => SslMode::Require,
                        "verify-ca" => SslMode::VerifyCa,
                        "verify-full" => SslMode::VerifyFull,
                        other => {
                            return Err(StorageError::Tls(format!(
                                "sslmode={other} is not one of disable, prefer, require, \
                                 verify-ca, verify-full"
                            )));
                        }
                    };
                }
                "sslrootcert" => root_cert = Some(PathBuf::from(percent_decode(value))),
                _ => kept.push(pair),
            }
        }
        // What tokio-postgres does with the socket: TLS or not, and whether it must be.
        kept.push(match mode {
            SslMode::Disable => "sslmode=disable",
            SslMode::Prefer => "sslmode=prefer",
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => "sslmode=require",
        });
        let url = format!("{base}?{}", kept.join("&"));
        let ca_file = root_cert.or_else(|| options.ca_file.clone());
        let tls = match mode {
            SslMode::Disable => None,
            _ => Some(Arc::new(client_config(mode, ca_file.as_deref())?)),
        };
        Ok(PostgresTarget { url, tls })
    }

    /// Opens one connection.
    pub(crate) async fn connect(&self) -> ConnectionResult<AsyncPgConnection> {
        let config: tokio_postgres::Config = self
            .url
            .parse()
            .map_err(|error| ConnectionError::InvalidConnectionUrl(with_causes(&error)))?;
        let failed =
            |error: tokio_postgres::Error| ConnectionError::BadConnection(with_causes(&error));
        match &self.tls {
            None => {
                let (client, connection) = config
                    .connect(tokio_postgres::NoTls)
                    .await
                    .map_err(failed)?;
                AsyncPgConnection::try_from_client_and_connection(client, connection).await
            }
            Some(tls) => {
                let connector = tokio_postgres_rustls::MakeRustlsConnect::new((**tls).clone());
                let (client, connection) = config.connect(connector).await.map_err(failed)?;
                AsyncPgConnection::try_from_client_and_connection(client, connection).await
            }
        }
    }
}

/// The error and its causes on one line, each once.
pub(crate) fn with_causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            let _ = write!(text, ": {cause_text}");
        }
        source = cause.source();
    }
    text
}

/// `%XX` escapes in a query value (a path with spaces); `+` stays a plus, as in a path.
fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = bytes
            .get(i + 1..i + 3)
            .filter(|_| bytes[i] == b'%')
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                decoded.push(byte);
                i += 3;
            }
            None => {
                decoded.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

/// The rustls setting of `mode`, trusting `ca_file` (else the system's roots).
fn client_config(mode: SslMode, ca_file: Option<&Path>) -> Result<ClientConfig, StorageError> {
    let provider = provider();
    let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|error| StorageError::Tls(error.to_string()))?;
    let checked = match (mode, ca_file) {
        // libpq: without a root certificate, prefer and require encrypt but check nothing.
        (SslMode::Disable | SslMode::Prefer | SslMode::Require, None) => None,
        (SslMode::Disable | SslMode::Prefer | SslMode::Require | SslMode::VerifyCa, Some(file)) => {
            Some((roots_from_file(file)?, false))
        }
        (SslMode::VerifyCa, None) => Some((system_roots()?, false)),
        (SslMode::VerifyFull, Some(file)) => Some((roots_from_file(file)?, true)),
        (SslMode::VerifyFull, None) => Some((system_roots()?, true)),
    };
    let config = match checked {
        None => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(Unchecked(provider)))
            .with_no_client_auth(),
        Some((roots, check_name)) => {
            let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .map_err(|error| StorageError::Tls(error.to_string()))?;
            if check_name {
                builder.with_webpki_verifier(webpki).with_no_client_auth()
            } else {
                builder
                    .dangerous()
                    .with_custom_certificate_verifier(Arc::new(AnyName(webpki)))
                    .with_no_client_auth()
            }
        }
    };
    Ok(config)
}

/// The certificates of a PEM file.
pub(crate) fn roots_from_file(path: &Path) -> Result<RootCertStore, StorageError> {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let unreadable = |message: String| {
        StorageError::Tls(format!(
            "cannot read the CA file {}: {message}",
            absolute.display()
        ))
    };
    let mut roots = RootCertStore::empty();
    let certificates =
        CertificateDer::pem_file_iter(path).map_err(|error| unreadable(error.to_string()))?;
    for certificate in certificates {
        let certificate = certificate.map_err(|error| unreadable(error.to_string()))?;
        roots
            .add(certificate)
            .map_err(|error| unreadable(error.to_string()))?;
    }
    if roots.is_empty() {
        return Err(unreadable("no certificate in it".to_owned()));
    }
    Ok(roots)
}

fn system_roots() -> Result<RootCertStore, StorageError> {
    let found = rustls_native_certs::load_native_certs();
    let mut roots = RootCertStore::empty();
    roots.add_parsable_certificates(found.certs);
    if roots.is_empty() {
        return Err(StorageError::Tls(
            "no CA certificate found on this system: set the CA file".to_owned(),
        ));
    }
    Ok(roots)
}

/// `prefer`/`require` without a CA: the channel is encrypted, the certificate not checked
/// (libpq's behaviour); the handshake's signatures still are.
#[derive(Debug)]
struct Unchecked(Arc<CryptoProvider>);

impl ServerCertVerifier for Unchecked {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `verify-ca`: the chain is checked, the name in the certificate is not.
#[derive(Debug)]
struct AnyName(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for AnyName {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(url: &str) -> PostgresTarget {
        PostgresTarget::new(url, &ConnectOptions::default()).expect(url)
    }

    #[test]
    fn the_url_keeps_what_tokio_postgres_reads_and_the_mode_it_can() {
        let cases = [
            (
                "postgres://u@h/db",
                "postgres://u@h/db?sslmode=prefer",
                SslMode::Prefer,
            ),
            (
                "postgres://u@h/db?sslmode=disable",
                "postgres://u@h/db?sslmode=disable",
                SslMode::Disable,
            ),
            (
                "postgres://u@h/db?connect_timeout=5&sslmode=require",
                "postgres://u@h/db?connect_timeout=5&sslmode=require",
                SslMode::Require,
            ),
            (
                "postgres://u@h/db?sslmode=verify-ca",
                "postgres://u@h/db?sslmode=require",
                SslMode::VerifyCa,
            ),
        ];
        for (given, rewritten, mode) in cases {
            let target = target(given);
            assert_eq!(target.url, rewritten, "{given}");
            assert_eq!(target.tls.is_some(), mode != SslMode::Disable, "{given}");
        }
    }

    #[test]
    fn an_unknown_sslmode_and_a_missing_ca_file_are_named() {
        let error =
            PostgresTarget::new("postgres://h/db?sslmode=always", &ConnectOptions::default())
                .err()
                .expect("refused");
        assert!(error.to_string().contains("sslmode=always"), "{error}");

        let error = PostgresTarget::new(
            "postgres://h/db?sslmode=verify-full&sslrootcert=/no/such%20dir/ca.pem",
            &ConnectOptions::default(),
        )
        .err()
        .expect("refused");
        assert!(error.to_string().contains("/no/such dir/ca.pem"), "{error}");
        assert_eq!(percent_decode("/etc/a%2Bb+c%20d%zz"), "/etc/a+b+c d%zz");

        let error = PostgresTarget::new(
            "postgres://h/db?sslmode=verify-full",
            &ConnectOptions {
                ca_file: Some(PathBuf::from("/no/such/ca.pem")),
            },
        )
        .err()
        .expect("refused");
        assert!(error.to_string().contains("/no/such/ca.pem"), "{error}");
    }
}
