//! Ports for servers a test starts.

use std::net::TcpListener;

/// A port on the loopback interface that was free when asked. Another program may take it
/// before the caller binds it; tests bind it right away.
///
/// # Panics
/// When the system gives no port.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .unwrap_or_else(|error| panic!("no free port on 127.0.0.1: {error}"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_free_port_can_be_bound() {
        let port = super::free_port();
        assert_ne!(port, 0);
        assert!(std::net::TcpListener::bind(("127.0.0.1", port)).is_ok());
    }
}
