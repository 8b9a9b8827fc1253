"""The domain exception hierarchy.

Every message is written for a member to read: the web maps the class to a status
code and shows the message, the command line prints it as its one line.
"""


class CoopError(Exception):
    """A rule of the members' world refused a command."""


class NotFound(CoopError):
    """The thing asked for does not exist."""


class NotAllowed(CoopError):
    """The acting member may not do this to that thing."""


class InvalidValue(CoopError):
    """A value given with a command is not acceptable."""


class StateConflict(CoopError):
    """The thing is not in a state where this command makes sense."""


class ConcurrentChange(StateConflict):
    """Someone else changed the same thing at the same moment; nothing was saved."""


class AlreadyExists(StateConflict):
    """The thing to create exists already."""


# Values
class InvalidEmail(InvalidValue):
    pass


class InvalidHours(InvalidValue):
    pass


class InvalidMoney(InvalidValue):
    pass


class InvalidWarmth(InvalidValue):
    pass


class InvalidText(InvalidValue):
    pass


class SameGiverAndReceiver(InvalidValue):
    pass


class SameReferrerAndReceiver(InvalidValue):
    pass


# Who may act
class MemberHasLeft(NotAllowed):
    pass


class NotTheReceiver(NotAllowed):
    pass


class NotTheGiver(NotAllowed):
    pass


class NotTheAuthor(NotAllowed):
    pass


class NotACircleMember(NotAllowed):
    pass


class NotASteward(NotAllowed):
    pass


# States
class MemberAlreadyJoined(AlreadyExists):
    pass


class AlreadyInCircle(StateConflict):
    pass


class NotInParentCircle(StateConflict):
    pass


class GiveAlreadySettled(StateConflict):
    pass


class GiveAlreadyReversed(StateConflict):
    pass


class AlreadyWithdrawn(StateConflict):
    pass


class AskAlreadyFulfilled(StateConflict):
    pass


class ReferralTransitionRefused(StateConflict):
    pass


class RoleUnchanged(StateConflict):
    pass


# Fair share
class InvalidPeriod(InvalidValue):
    pass


class DistributionAlreadyAllocated(StateConflict):
    pass


# Governance
class InvalidRules(InvalidValue):
    pass


class InvalidChoice(InvalidValue):
    pass


class NotInElectorate(NotAllowed):
    pass


class ResultsHidden(NotAllowed):
    pass


class ProposalStateConflict(StateConflict):
    pass


class VotingClosed(StateConflict):
    pass


def first_line(error: BaseException) -> str:
    """Return the first line of ``error``'s message (its type's name when it has none):
    what a person is shown of a driver's error, which may run to several lines."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
