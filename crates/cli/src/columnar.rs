//! Writing a command's table of records ([`Records`]: a sweep's points, the deal designer's
//! candidates) as a Parquet file, for pandas, pyarrow, R or DuckDB: one function for every
//! command, one column per record column, its type kept (DOUBLE, INT64, BOOLEAN, UTF-8
//! strings), every column nullable (a point that never reaches its goal has no `goal_days`).
//!
//! The file is uncompressed, in one row group: tables are at most
//! `limits::MAX_SWEEP_POINTS` rows, and leaving the codecs out keeps the build short
//! (docs/benchmarks.md).

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use breakout_app::records::{Records, Values};
use parquet::basic::{LogicalType, Repetition, Type as PhysicalType};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

/// The Parquet schema of `records`: one optional column per record column.
fn schema(records: &Records) -> Result<Type, ParquetError> {
    let fields = records
        .columns()
        .iter()
        .map(|c| {
            let (physical, logical) = match c.values {
                Values::F64(_) => (PhysicalType::DOUBLE, None),
                Values::I64(_) => (PhysicalType::INT64, None),
                Values::Bool(_) => (PhysicalType::BOOLEAN, None),
                Values::Str(_) => (PhysicalType::BYTE_ARRAY, Some(LogicalType::String)),
            };
            Type::primitive_type_builder(&c.name, physical)
                .with_repetition(Repetition::OPTIONAL)
                .with_logical_type(logical)
                .build()
                .map(Arc::new)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Type::group_type_builder("records")
        .with_fields(fields)
        .build()
}

/// The values present and the definition levels (1: present, 0: null) of one column.
fn present<T: Clone>(cells: &[Option<T>]) -> (Vec<T>, Vec<i16>) {
    let values = cells.iter().flatten().cloned().collect();
    let levels = cells.iter().map(|c| i16::from(c.is_some())).collect();
    (values, levels)
}

/// Writes `records` to `path` as Parquet (the file is created or replaced).
///
/// # Errors
/// The file cannot be created or written.
pub fn write(records: &Records, path: &Path) -> Result<(), ParquetError> {
    let file = File::create(path)?;
    let props = Arc::new(WriterProperties::builder().build());
    let mut writer = SerializedFileWriter::new(file, Arc::new(schema(records)?), props)?;
    let mut group = writer.next_row_group()?;
    for column in records.columns() {
        let Some(mut out) = group.next_column()? else {
            return Err(ParquetError::General(format!(
                "no column writer for `{}`",
                column.name
            )));
        };
        match &column.values {
            Values::F64(cells) => {
                let (v, d) = present(cells);
                out.typed::<DoubleType>().write_batch(&v, Some(&d), None)?;
            }
            Values::I64(cells) => {
                let (v, d) = present(cells);
                out.typed::<Int64Type>().write_batch(&v, Some(&d), None)?;
            }
            Values::Bool(cells) => {
                let (v, d) = present(cells);
                out.typed::<BoolType>().write_batch(&v, Some(&d), None)?;
            }
            Values::Str(cells) => {
                let (v, d) = present(cells);
                let v: Vec<ByteArray> = v
                    .into_iter()
                    .map(|s| ByteArray::from(s.into_bytes()))
                    .collect();
                out.typed::<ByteArrayType>()
                    .write_batch(&v, Some(&d), None)?;
            }
        }
        out.close()?;
    }
    group.close()?;
    writer.close()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;

    #[test]
    fn a_table_reads_back_with_its_names_types_values_and_nulls() {
        let mut t = Records::new();
        t.column("state", Values::Str(vec![Some("jcpoa-2016".into()), None]))
            .column("count", Values::I64(vec![Some(1), Some(3)]))
            .column(
                "goal_days",
                Values::F64(vec![Some(123.456_789_012_345), None]),
            )
            .column("meets_target", Values::Bool(vec![Some(true), Some(false)]));
        let dir = std::env::temp_dir().join(format!("breakout-columnar-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.parquet");
        write(&t, &path).unwrap();

        let reader = SerializedFileReader::new(File::open(&path).unwrap()).unwrap();
        let schema = reader.metadata().file_metadata().schema_descr_ptr();
        let columns: Vec<(String, PhysicalType)> = schema
            .columns()
            .iter()
            .map(|c| (c.name().to_string(), c.physical_type()))
            .collect();
        assert_eq!(
            columns,
            [
                ("state".to_string(), PhysicalType::BYTE_ARRAY),
                ("count".to_string(), PhysicalType::INT64),
                ("goal_days".to_string(), PhysicalType::DOUBLE),
                ("meets_target".to_string(), PhysicalType::BOOLEAN),
            ]
        );
        assert_eq!(
            schema.column(0).logical_type_ref(),
            Some(&LogicalType::String)
        );
        let rows: Vec<Vec<Field>> = reader
            .get_row_iter(None)
            .unwrap()
            .map(|r| {
                r.unwrap()
                    .get_column_iter()
                    .map(|(_, f)| f.clone())
                    .collect()
            })
            .collect();
        assert_eq!(
            rows,
            [
                vec![
                    Field::Str("jcpoa-2016".into()),
                    Field::Long(1),
                    Field::Double(123.456_789_012_345),
                    Field::Bool(true),
                ],
                vec![Field::Null, Field::Long(3), Field::Null, Field::Bool(false)],
            ]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
