"""The failures the backend produces, and the Java-side wording of their messages.

Where the reference quotes a message it is used verbatim; other texts follow the
wording of the Spring/Hibernate/Jackson exception that the server would raise.
"""
from __future__ import annotations

from .query import java_str


class BeforeMethodError(Exception):
    """Spring failed before the controller method ran (JSON parsing, binding, bean validation,
    missing parameter, wrong media type). v11: GlobalExceptionHandler -> 500 + header.
    v10: JHipster's ExceptionTranslator -> 400 problem+json."""

    def __init__(self, message, field_errors=None, object_name=None):
        Exception.__init__(self, message)
        self.message = message
        self.field_errors = field_errors or []
        self.object_name = object_name


class ServiceError(Exception):
    """An exception thrown inside the controller method. `status` is what v11's
    GlobalExceptionHandler maps its class to; try/catch controllers always answer 500."""

    def __init__(self, message, status=500):
        Exception.__init__(self, message)
        self.message = message
        self.status = status


class Answer(Exception):
    """The controller returned this response itself (a v10 controller's explicit 400/409)."""

    def __init__(self, response):
        Exception.__init__(self, "answer %s" % response.status)
        self.response = response


class AuthError(Exception):
    """Spring Security's sendError (401/403) or an exception escaping a filter (500)."""

    def __init__(self, status):
        Exception.__init__(self, "auth %s" % status)
        self.status = status


# Messages for the NullPointerException cases whose text the reference does not quote
# (Map.of(...) with a null value has no message in Java; e.getMessage() is null).
NPE_MESSAGE = "null"


def validation_failed(signature, object_name, errors):
    """MethodArgumentNotValidException text; errors = [(field, rejected_value, message)]."""
    parts = ["Field error in object '%s' on field '%s': rejected value [%s]; default message [%s]"
             % (object_name, field, java_str(value), message) for field, value, message in errors]
    return "Validation failed for argument [0] in %s with %d errors: [%s] " % (
        signature, len(errors), "] [".join(parts))


def persist_validation_failed(entity_class, errors):
    """javax.validation.ConstraintViolationException raised by Hibernate at persist time."""
    items = ", ".join("ConstraintViolationImpl{interpolatedMessage='%s', propertyPath=%s, "
                      "rootBeanClass=class %s}" % (message, field, entity_class)
                      for field, _value, message in errors)
    return ("Validation failed for classes [%s] during persist time for groups "
            "[javax.validation.groups.Default, ]List of constraint violations:[%s]"
            % (entity_class, items))


def missing_body(signature):
    return "Required request body is missing: %s" % signature


def json_parse_error(detail):
    return "JSON parse error: %s" % detail


def missing_parameter(name, java_type):
    return "Required request parameter '%s' for method parameter type %s is not present" % (
        name, java_type)


def type_mismatch(value, java_type, cause):
    return ("Failed to convert value of type 'java.lang.String' to required type '%s'; "
            "nested exception is %s" % (java_type, cause))


def number_format(value):
    return 'java.lang.NumberFormatException: For input string: "%s"' % value
