"""The Ground Truth round trip: send labeling work to a SageMaker crowd and read it back.

Works with numpy and Pillow alone (no Jupyter, no boto3): `prepare_job`
writes a job's files from a label store, the readers turn what Ground Truth
wrote back into `Annotation`s, `consolidate` merges several workers'
answers, and `lambdas` holds the two deployable Lambda functions. Only
`groundtruth.aws` (extra `groundtruth-aws`) talks to AWS. docs/groundtruth.md
walks through a job.
"""

from .consolidate import consolidate
from .errors import GroundTruthError
from .importing import ImportReport, import_results
from .job import JobFiles, prepare_job
from .lambdas import consolidation_handler, pre_annotation_handler
from .manifest import validate_input_manifest
from .outputs import ObjectResult, read_output_manifest, read_semantic_output
from .requests import mturk_workteam_arn
from .resolvers import Resolver, fsspec_resolver, local_resolver, s3_resolver
from .responses import (
    WorkerAnnotation,
    read_consolidation_payload,
    read_mturk_csv,
    read_worker_response,
)
from .review import review_result
from .rules import check_label_attribute
from .template import write_label_categories, write_template

__all__ = [
    "GroundTruthError",
    "ImportReport",
    "JobFiles",
    "ObjectResult",
    "Resolver",
    "WorkerAnnotation",
    "check_label_attribute",
    "consolidate",
    "consolidation_handler",
    "fsspec_resolver",
    "import_results",
    "local_resolver",
    "mturk_workteam_arn",
    "pre_annotation_handler",
    "prepare_job",
    "read_consolidation_payload",
    "read_mturk_csv",
    "read_output_manifest",
    "read_semantic_output",
    "read_worker_response",
    "review_result",
    "s3_resolver",
    "validate_input_manifest",
    "write_label_categories",
    "write_template",
]
