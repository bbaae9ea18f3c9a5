//! Investment projects: the stage pipeline and the rules for moving along it.

pub mod duplicates;
pub mod stage;

pub use stage::{
    check_transition, validate_stage, FieldProblem, Stage, StageDates, TransitionError, TransitionKind, UnknownStage,
};
