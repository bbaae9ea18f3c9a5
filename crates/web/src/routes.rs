//! The router together with the list of its paths: every page module and the API add
//! their routes through `Routes`, so the authorisation matrix test reads the paths
//! from the very value that builds the router, and a route without its row fails it.

use crate::AppState;
use axum::handler::Handler;
use axum::routing::MethodRouter;
use axum::Router;

pub struct Routes {
    router: Router<AppState>,
    paths: Vec<String>,
}

impl Default for Routes {
    fn default() -> Self {
        Routes::new()
    }
}

impl Routes {
    pub fn new() -> Routes {
        Routes { router: Router::new(), paths: Vec::new() }
    }

    pub fn route(self, path: &str, method_router: MethodRouter<AppState>) -> Routes {
        let Routes { router, mut paths } = self;
        paths.push(path.to_string());
        Routes { router: router.route(path, method_router), paths }
    }

    pub fn merge(self, other: Routes) -> Routes {
        let Routes { router, mut paths } = self;
        paths.extend(other.paths);
        Routes { router: router.merge(other.router), paths }
    }

    /// `other`'s routes under `prefix` (the API under `/api/v1`).
    pub fn nest(self, prefix: &str, other: Routes) -> Routes {
        let Routes { router, mut paths } = self;
        paths.extend(other.paths.iter().map(|path| format!("{prefix}{path}")));
        Routes { router: router.nest(prefix, other.router), paths }
    }

    pub fn fallback<H, T>(self, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        Routes { router: self.router.fallback(handler), paths: self.paths }
    }

    /// The path patterns, as written in the modules (`/projects/{id}`).
    pub fn paths(&self) -> &[String] {
        &self.paths
    }

    pub fn into_router(self) -> Router<AppState> {
        self.router
    }
}
