//! Investment projects: the stage pipeline and the rules for moving along it, the
//! plausibility of their figures, and the code a new project is proposed.

pub mod duplicates;
pub mod plausible;
pub mod stage;

pub use stage::{
    check_transition, validate_stage, FieldProblem, Stage, StageDates, TransitionError, TransitionKind, UnknownStage,
};
